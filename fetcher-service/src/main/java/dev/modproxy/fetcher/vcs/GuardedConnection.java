package dev.modproxy.fetcher.vcs;

import org.eclipse.jgit.transport.http.HttpConnection;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.URL;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One HTTP connection of direct fetching (JGit's and go-import discovery's), over the JDK's
 * {@link HttpURLConnection}, with what JGit's own {@code JDKHttpConnection} cannot give:
 * <ul>
 *   <li>it registers with the request's {@link Deadline}, which disconnects it when the time is
 *       up (breaking a read that is blocked on a drip-fed body);</li>
 *   <li>https sockets come from a {@link CheckedSocketFactory}, which checks the address the
 *       socket actually connects to (no DNS rebinding between the check and the connect);</li>
 *   <li>the response body counts against the operation's byte budget
 *       ({@code modproxy.vcs.max-repo-bytes}), so an endless pack is cut while it streams in
 *       instead of filling the disk first.</li>
 * </ul>
 */
final class GuardedConnection implements HttpConnection {

    private final HttpURLConnection c;
    private final Deadline deadline;
    private final AtomicLong budget;
    private final Deadline.Cancellable cancel;
    private final CheckedSocketFactory.Scope scope;

    GuardedConnection(URL url, java.net.Proxy proxy, Deadline deadline, AtomicLong budget, CheckedSocketFactory.Scope scope)
            throws IOException {
        this.c = (HttpURLConnection) (proxy == null ? url.openConnection() : url.openConnection(proxy));
        this.deadline = deadline;
        this.budget = budget;
        this.scope = scope;
        this.cancel = c::disconnect;
        deadline.register(cancel);
        int idle = (int) Math.min(Integer.MAX_VALUE, Math.max(1, deadline.remainingMillis()));
        c.setConnectTimeout(idle);
        c.setReadTimeout(idle);
        if (c instanceof HttpsURLConnection https) {
            // trust from modproxy.tls.trust / pins comes in configure(); until then the JDK's CAs
            https.setSSLSocketFactory(new CheckedSocketFactory(HttpsURLConnection.getDefaultSSLSocketFactory(), scope));
        }
    }

    @Override
    public void configure(KeyManager[] km, TrustManager[] tm, SecureRandom random)
            throws NoSuchAlgorithmException, KeyManagementException {
        if (c instanceof HttpsURLConnection https) {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(km, tm, random);
            https.setSSLSocketFactory(new CheckedSocketFactory(ctx.getSocketFactory(), scope));
        }
    }

    @Override
    public void setHostnameVerifier(HostnameVerifier verifier) {
        if (c instanceof HttpsURLConnection https) {
            https.setHostnameVerifier(verifier);
        }
    }

    /** The JDK's timeouts are idle timeouts; they never exceed what is left of the deadline. */
    @Override
    public void setConnectTimeout(int ms) {
        c.setConnectTimeout(capped(ms));
    }

    @Override
    public void setReadTimeout(int ms) {
        c.setReadTimeout(capped(ms));
    }

    private int capped(int ms) {
        int left = (int) Math.min(Integer.MAX_VALUE, Math.max(1, deadline.remainingMillis()));
        return ms <= 0 ? left : Math.min(ms, left);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return new Counted(c.getInputStream());
    }

    /** The body of a non-2xx answer (go-import pages may come with 404), also counted and cut. */
    InputStream getErrorStream() {
        InputStream in = c.getErrorStream();
        return in == null ? InputStream.nullInputStream() : new Counted(in);
    }

    /** Body bytes count against the budget; the stream leaves the deadline when closed. */
    private final class Counted extends FilterInputStream {
        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                take(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                take(n);
            }
            return n;
        }

        private void take(int n) throws IOException {
            if (budget.addAndGet(-n) < 0) {
                c.disconnect();
                throw new GuardedConnectionFactory.TooBig();
            }
        }

        @Override
        public void close() throws IOException {
            deadline.unregister(cancel);
            super.close();
        }
    }

    // Plain delegation from here on.

    @Override
    public int getResponseCode() throws IOException {
        return c.getResponseCode();
    }

    @Override
    public URL getURL() {
        return c.getURL();
    }

    @Override
    public String getResponseMessage() throws IOException {
        return c.getResponseMessage();
    }

    @Override
    public Map<String, List<String>> getHeaderFields() {
        return c.getHeaderFields();
    }

    @Override
    public void setRequestProperty(String key, String value) {
        c.setRequestProperty(key, value);
    }

    @Override
    public void setRequestMethod(String method) throws ProtocolException {
        c.setRequestMethod(method);
    }

    @Override
    public void setUseCaches(boolean useCaches) {
        c.setUseCaches(useCaches);
    }

    @Override
    public String getContentType() {
        return c.getContentType();
    }

    @Override
    public String getHeaderField(String name) {
        return c.getHeaderField(name);
    }

    @Override
    public List<String> getHeaderFields(String name) {
        for (Map.Entry<String, List<String>> e : c.getHeaderFields().entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return List.of();
    }

    @Override
    public int getContentLength() {
        return c.getContentLength();
    }

    @Override
    public void setInstanceFollowRedirects(boolean follow) {
        c.setInstanceFollowRedirects(follow);
    }

    @Override
    public void setDoOutput(boolean doOutput) {
        c.setDoOutput(doOutput);
    }

    @Override
    public void setFixedLengthStreamingMode(int length) {
        c.setFixedLengthStreamingMode(length);
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return c.getOutputStream();
    }

    @Override
    public void setChunkedStreamingMode(int chunk) {
        c.setChunkedStreamingMode(chunk);
    }

    @Override
    public String getRequestMethod() {
        return c.getRequestMethod();
    }

    @Override
    public boolean usingProxy() {
        return c.usingProxy();
    }

    @Override
    public void connect() throws IOException {
        c.connect();
    }

    void disconnect() {
        deadline.unregister(cancel);
        c.disconnect();
    }
}
