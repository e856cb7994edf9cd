package dev.modproxy.gomod.zip;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads zip entries with the checks Go's archive/zip makes while reading, which Java's ZipFile
 * leaves out: an entry may not yield more bytes than its declared uncompressed size
 * ("zip: not a valid zip file"), must yield exactly that many before its end ("unexpected
 * EOF"), and must match its declared CRC-32 unless that is zero ("zip: checksum error").
 * The module zip rules rest on declared sizes, so reading must not trust them blindly.
 */
public final class ZipEntries {

    private ZipEntries() {
    }

    /** Opens an entry's content; the stream throws ZipException when a check above fails. */
    public static InputStream open(ZipFile zip, ZipEntry entry) throws IOException {
        InputStream in = zip.getInputStream(entry);
        if (in == null) {
            throw new ZipException("zip: entry " + entry.getName() + " not found");
        }
        return new Verifying(in, entry.getSize(), entry.getCrc());
    }

    private static final class Verifying extends FilterInputStream {
        private final long declared;
        private final long crc;
        private final CRC32 actual = new CRC32();
        private long read;

        Verifying(InputStream in, long declared, long crc) {
            super(in);
            this.declared = declared;
            this.crc = crc;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                read += n;
                actual.update(b, off, n);
                if (declared >= 0 && Long.compareUnsigned(read, declared) > 0) {
                    throw new ZipException("zip: not a valid zip file");
                }
                return n;
            }
            if (n < 0) {
                if (declared >= 0 && read != declared) {
                    throw new ZipException("unexpected EOF");
                }
                if (crc > 0 && actual.getValue() != crc) {
                    throw new ZipException("zip: checksum error");
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int got = read(buf, 0, buf.length);
            return Math.max(got, 0);
        }
    }
}
