package dev.modproxy.storage.s3;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A real S3 endpoint in the test JVM: S3Proxy over jclouds' "filesystem" blob store, on a free
 * port on 127.0.0.1, with AWS V2/V4 signatures checked against a fixed identity.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "modproxy-test";
    static final String SECRET_KEY = "modproxy-test-secret";

    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final String endpoint;

    S3ProxyServer(Path dataDir) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        context = ContextBuilder.newBuilder("filesystem")
                .credentials(ACCESS_KEY, SECRET_KEY)
                .overrides(props)
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        endpoint = "http://127.0.0.1:" + proxy.getPort();
    }

    String endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            context.close();
        }
    }
}
