package dev.modproxy.audit.events;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child process for {@link AuditPublisherCrashIT}: publishes events in a loop and prints each
 * event id on stdout only after {@link AuditPublisher#publish} has returned true, until it is
 * killed. Args: journal directory, bootstrap servers, topic.
 */
public final class PublishUntilKilledMain {
    public static void main(String[] args) throws Exception {
        var settings = new AuditPublisher.Settings(args[2], 10_000, Path.of(args[0]), 256L << 20, 64 << 10,
                Duration.ofMillis(50), Duration.ofMillis(200));
        AuditPublisher p = new AuditPublisher(settings, AuditPublisher.producerConfig(args[1], Duration.ofSeconds(3)));
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        for (long i = 0; ; i++) {
            AuditEvent e = AuditEvent.builder().kind(AuditEvent.Kind.ZIP).module("crash.example/m" + (i % 13))
                    .version("v1.0." + i).status(200).client("127.0.0.1").replica("child").build();
            if (!p.publish(e)) {
                throw new AssertionError("dropped " + i);
            }
            out.write(e.id().toString());
            out.newLine();
            if (i % 16 == 0) {
                out.flush();
            }
            if (i % 500 == 0) {
                Thread.sleep(1); // a few seconds of run, so the kill lands mid-run
            }
        }
    }
}
