package dev.modproxy.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Apache Kafka broker (KRaft: broker and controller in one process) on
 * 127.0.0.1, run as a separate JVM from the {@code org.apache.kafka:kafka_2.13} jars on the test
 * classpath — the same way {@code deploy/local/up} runs it. A module that uses this adds
 * {@code kafka_2.13} as a test dependency.
 *
 * <p>A separate process, not an in-JVM cluster, so a test can stop the broker (as an outage)
 * and start it again on the same ports and log directory, and so the broker's Scala and logging
 * jars never meet the code under test. The log is {@code <dir>/broker.log}.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String classpath;
    private Process process;

    private KafkaBroker(Path dir, int port, int controllerPort, String classpath) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.classpath = classpath;
    }

    /** Formats a fresh log under {@code dir} and starts the broker; returns once it accepts connections. */
    public static KafkaBroker start(Path dir) throws IOException, InterruptedException {
        if (ClassLoader.getSystemResource("kafka/Kafka.class") == null
                && KafkaBroker.class.getClassLoader().getResource("kafka/Kafka.class") == null) {
            throw new AssertionError("kafka.Kafka is not on the test classpath: add org.apache.kafka:kafka_2.13 (test scope)");
        }
        Files.createDirectories(dir);
        KafkaBroker b = new KafkaBroker(dir.toAbsolutePath(), freePort(), freePort(), System.getProperty("java.class.path"));
        b.format();
        b.start();
        return b;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private Path properties() {
        return dir.resolve("server.properties");
    }

    private void format() throws IOException, InterruptedException {
        Files.writeString(properties(), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                ""));
        // An id starting with '-' reads as an option to the storage tool ("--cluster-id: expected
        // one argument", 1 run in 64); Kafka's own random-uuid skips those ids, so do we.
        SecureRandom random = new SecureRandom();
        byte[] id = new byte[16];
        String clusterId;
        do {
            random.nextBytes(id);
            clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        } while (clusterId.startsWith("-"));
        Process p = java(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties().toString()),
                dir.resolve("format.log"), false);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("formatting the Kafka log failed:\n" + Files.readString(dir.resolve("format.log")));
        }
    }

    /** Starts the broker (again, after {@link #stop}) and waits until it accepts connections. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = java(List.of("kafka.Kafka", properties().toString()), dir.resolve("broker.log"), true);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Kafka exited with " + process.exitValue() + ":\n" + Files.readString(dir.resolve("broker.log")));
            }
            if (portOpen(port)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Kafka did not open port " + port + " within 60s:\n" + Files.readString(dir.resolve("broker.log")));
    }

    /** Stops the broker the hard way (SIGKILL): an outage, not a maintenance window. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            process = null;
        }
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    private Process java(List<String> args, Path log, boolean append) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(append ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.to(log.toFile()));
        return pb.start();
    }

    private static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        try {
            if (process != null) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
