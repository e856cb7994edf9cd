package dev.modproxy.audit.segment;

import dev.modproxy.audit.events.AuditEvent;
import dev.modproxy.audit.events.AuditEventCodec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes events as one gzip member (RFC 1952): a 10-byte header (no name, no extra fields,
 * OS unknown), raw deflate data, then CRC-32 and length mod 2^32, little-endian. Written by hand
 * rather than with {@code GZIPOutputStream} so one {@link Deflater} serves every member of a
 * segment: a segment has hundreds, and a fresh native deflater for each costs more than the data.
 */
final class GzipMember {

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private GzipMember() {
    }

    static void write(List<AuditEvent> events, Deflater deflater, ByteArrayOutputStream out) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream(events.size() * 320);
        for (AuditEvent e : events) {
            AuditEventCodec.write(e, raw);
            raw.write('\n');
        }
        byte[] data = raw.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(data);
        out.write(HEADER);
        deflater.reset();
        deflater.setInput(data);
        deflater.finish();
        byte[] buf = new byte[16384];
        while (!deflater.finished()) {
            int n = deflater.deflate(buf);
            out.write(buf, 0, n);
        }
        int c = (int) crc.getValue();
        int size = data.length;
        out.write(new byte[]{(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
                (byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)});
    }
}
