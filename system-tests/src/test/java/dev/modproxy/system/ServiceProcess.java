package dev.modproxy.system;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One packaged modproxy service ({@code <module>/target/quarkus-app/quarkus-run.jar}) running as
 * its own process on a free loopback port, the way {@code deploy/local/up} and Kubernetes run
 * it. Its output goes to a log file next to the test's data, printed when a start fails.
 *
 * <p>Every process gets the same service credential ({@link #TOKEN}, as
 * {@code MODPROXY_INTERNAL_TOKEN}, the way {@code deploy/local/up} gives all four the same file)
 * unless the test names one of its own.
 */
final class ServiceProcess implements AutoCloseable {

    /** The service credential of this test run's services. */
    static final String TOKEN = "system-test-" + java.util.UUID.randomUUID();
    /** The {@code Authorization} value modproxy's services send each other. */
    static final String AUTHORIZATION = "Bearer " + TOKEN;

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(String module, String name, Path logDir, Map<String, String> env) throws Exception {
        return start(module, name, logDir, env, freePort());
    }

    /** Starts on a port chosen before, for services that must know each other's URLs up front. */
    static ServiceProcess start(String module, String name, Path logDir, Map<String, String> env, int port) throws Exception {
        Path root = Path.of(System.getProperty("modproxy.root", "..")).toAbsolutePath();
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new AssertionError(jar + " is missing: run mvn verify from the root, which packages it first");
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        if (!env.containsKey("MODPROXY_INTERNAL_TOKEN") && !env.containsKey("MODPROXY_INTERNAL_TOKEN_FILE")) {
            pb.environment().put("MODPROXY_INTERNAL_TOKEN", TOKEN);
        }
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        ServiceProcess p = new ServiceProcess(name, port, pb.start(), log);
        p.awaitReady(Duration.ofSeconds(60));
        return p;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/q/health/ready").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        close();
        throw new AssertionError(name + " not ready within " + timeout.toSeconds() + "s:\n" + Files.readString(log));
    }

    /**
     * Waits until something accepts connections on a loopback port: a second listener of a
     * service (the gateway's HTTPS port) may open a moment after its HTTP port answers ready.
     */
    static void awaitPort(int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("nothing listens on 127.0.0.1:" + port + " after " + timeout.toSeconds() + "s");
                }
                Thread.sleep(50);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Kills the process without warning (SIGKILL, like {@code kill -9}): no shutdown hooks run. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Asks the process to stop (SIGTERM, like Kubernetes' first signal) and returns at once. */
    void terminate() {
        process.destroy();
    }

    /** Whether the process has exited within {@code seconds}. */
    boolean awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
