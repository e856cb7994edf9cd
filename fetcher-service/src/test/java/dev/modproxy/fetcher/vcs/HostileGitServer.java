package dev.modproxy.fetcher.vcs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.Deflater;

/**
 * A git host that attacks its client, on {@code <address>:80} (plain HTTP; the module paths must
 * match {@code modproxy.insecure}), speaking just enough go-import and git smart HTTP:
 * <ul>
 *   <li>{@code /drip?go-get=1}: headers, then the page one byte a second;</li>
 *   <li>{@code /slow?go-get=1}: go-import to {@code /slowgit}, whose ref advertisement arrives one
 *       byte a second;</li>
 *   <li>{@code /big?go-get=1}: go-import to {@code /biggit}, which advertises one branch and then
 *       answers the fetch with a pack that never ends (incompressible blobs, 64 KiB each);</li>
 *   <li>{@code /w/<anything>?go-get=1}: a wildcard go-import host, each path its own repository
 *       {@code /repo/w/<anything>}, none of which exists (404).</li>
 * </ul>
 */
final class HostileGitServer implements AutoCloseable {

    private static final String HASH = "0123456789abcdef0123456789abcdef01234567";

    private final String address;
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hostile-git");
        t.setDaemon(true);
        return t;
    });

    HostileGitServer(String address) throws IOException {
        this.address = address;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(address), 80));
        pool.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    pool.execute(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            s.setTcpNoDelay(true);
            String head = readHead(in);
            String target = head.split(" ", 3)[1];
            if (target.startsWith("/w/") && target.endsWith("?go-get=1")) {
                String path = target.substring(0, target.indexOf('?'));
                byte[] page = ("<html><head><meta name=\"go-import\" content=\"" + address + path + " git http://"
                        + address + "/repo" + path + "\"></head></html>").getBytes(StandardCharsets.UTF_8);
                headers(out, "text/html", page.length);
                out.write(page);
            } else if (target.startsWith("/drip?go-get=1")) {
                headers(out, "text/html", 100_000);
                drip(out, ("<html><head><meta name=\"go-import\" content=\"" + address + "/drip git http://" + address
                        + "/x\"></head></html>").repeat(1000).getBytes(StandardCharsets.UTF_8));
            } else if (target.startsWith("/slow?go-get=1") || target.startsWith("/big?go-get=1")) {
                String name = target.substring(1, target.indexOf('?'));
                byte[] page = ("<html><head><meta name=\"go-import\" content=\"" + address + "/" + name + " git http://"
                        + address + "/" + name + "git\"></head></html>").getBytes(StandardCharsets.UTF_8);
                headers(out, "text/html", page.length);
                out.write(page);
            } else if (target.startsWith("/slowgit/info/refs")) {
                headers(out, "application/x-git-upload-pack-advertisement", -1);
                drip(out, advertisement());
            } else if (target.startsWith("/biggit/info/refs")) {
                byte[] ad = advertisement();
                headers(out, "application/x-git-upload-pack-advertisement", ad.length);
                out.write(ad);
            } else if (target.startsWith("/biggit/git-upload-pack")) {
                headers(out, "application/x-git-upload-pack-result", -1);
                out.write(pkt("NAK\n"));
                endlessPack(out);
            } else {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException | InterruptedException e) {
            // the client hung up: what we want it to do
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int last4 = 0;
        for (int c; (c = in.read()) >= 0; ) {
            b.write(c);
            last4 = (last4 << 8) | c;
            if (last4 == 0x0d0a0d0a) {
                break;
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static void headers(OutputStream out, String type, long length) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\n" + (length >= 0 ? "Content-Length: " + length + "\r\n" : "")
                + "Cache-Control: no-cache\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void drip(OutputStream out, byte[] body) throws IOException, InterruptedException {
        for (byte b : body) {
            out.write(b);
            out.flush();
            Thread.sleep(1000);
        }
    }

    private static byte[] pkt(String line) {
        return (String.format("%04x", line.length() + 4) + line).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] advertisement() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(pkt("# service=git-upload-pack\n"));
        b.writeBytes("0000".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(pkt(HASH + " HEAD\0multi_ack_detailed ofs-delta symref=HEAD:refs/heads/main\n"));
        b.writeBytes(pkt(HASH + " refs/heads/main\n"));
        b.writeBytes("0000".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    /** A pack header announcing 100,000 objects, then blobs of random bytes until the client hangs up. */
    private static void endlessPack(OutputStream out) throws IOException {
        out.write(new byte[] {'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 1, (byte) 0x86, (byte) 0xa0});
        Random random = new Random(1);
        byte[] blob = new byte[64 * 1024];
        byte[] deflated = new byte[blob.length + 1024];
        for (int i = 0; i < 100_000; i++) {
            random.nextBytes(blob);
            int size = blob.length;
            ByteArrayOutputStream h = new ByteArrayOutputStream();
            h.write(0x80 | (3 << 4) | (size & 0x0f));
            size >>>= 4;
            while (size > 0) {
                h.write((size > 0x7f ? 0x80 : 0) | (size & 0x7f));
                size >>>= 7;
            }
            Deflater d = new Deflater();
            d.setInput(blob);
            d.finish();
            int n = d.deflate(deflated);
            d.end();
            out.write(h.toByteArray());
            out.write(deflated, 0, n);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
