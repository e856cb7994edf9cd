import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The floor of the JVM stack the gateway stands on, for the hot-metadata benchmark: a bare
 * Vert.x HTTP server (the same Vert.x and Netty jars as the gateway, the same JVM options) that
 * answers the listed paths from a map of byte arrays — no router, no Quarkus, no checks, no
 * metrics, no audit. What this server cannot beat, the gateway cannot either; the gap between
 * them is modproxy's own cost per request.
 *
 * <p>Run by bench/run: {@code java -cp <gateway's lib/main/*> VertxFloor.java ROOT PATHS PORT}.
 */
public class VertxFloor {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        List<String> paths = Files.readAllLines(Path.of(args[1]));
        int port = Integer.parseInt(args[2]);
        Map<String, Buffer> bodies = new HashMap<>();
        for (String p : paths) {
            if (!p.isEmpty()) {
                bodies.put(p, Buffer.buffer(Files.readAllBytes(root.resolve(p.substring(1)))));
            }
        }
        // The gateway's event loops: Quarkus gives it 2 × cores.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2 * Runtime.getRuntime().availableProcessors()));
        for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
            vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                    .requestHandler(req -> {
                        Buffer b = bodies.get(req.path());
                        if (b == null) {
                            req.response().setStatusCode(404).end();
                            return;
                        }
                        String type = req.path().endsWith(".info") || req.path().endsWith("@latest")
                                ? "application/json" : "text/plain; charset=utf-8";
                        req.response().putHeader("Content-Type", type).end(b);
                    }).listen().toCompletionStage().toCompletableFuture().join();
        }
        System.out.println("ready");
    }
}
