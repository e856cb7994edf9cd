package dev.modproxy.gomod.zip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes zips the way a test needs them, including what java.util.zip refuses to write:
 * duplicate names, and declared uncompressed sizes that differ from the content. Entries are
 * deflated and held in memory, so this is for small test archives only.
 */
final class RawZip {

    private record Entry(byte[] name, byte[] compressed, long crc, long declaredSize) {
    }

    private final List<Entry> entries = new ArrayList<>();

    RawZip add(String name, byte[] data) {
        return add(name, data, data.length);
    }

    RawZip add(String name, byte[] data, long declaredSize) {
        CRC32 crc = new CRC32();
        crc.update(data);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        entries.add(new Entry(name.getBytes(StandardCharsets.UTF_8), out.toByteArray(), crc.getValue(),
                declaredSize));
        return this;
    }

    void writeTo(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeTo(out);
        }
    }

    void writeTo(OutputStream out) throws IOException {
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        long offset = 0;
        for (Entry e : entries) {
            ByteArrayOutputStream local = new ByteArrayOutputStream();
            int32(local, 0x04034b50);
            common(local, e);
            local.write(e.name());
            local.write(e.compressed());
            int32(central, 0x02014b50);
            int16(central, 20);
            common(central, e);
            int16(central, 0); // comment length
            int16(central, 0); // disk
            int16(central, 0); // internal attributes
            int32(central, 0); // external attributes
            int32(central, offset);
            central.write(e.name());
            local.writeTo(out);
            offset += local.size();
        }
        central.writeTo(out);
        ByteArrayOutputStream end = new ByteArrayOutputStream();
        int32(end, 0x06054b50);
        int16(end, 0);
        int16(end, 0);
        int16(end, entries.size());
        int16(end, entries.size());
        int32(end, central.size());
        int32(end, offset);
        int16(end, 0);
        end.writeTo(out);
    }

    /** The fields local and central headers share, from "version needed" to "extra length". */
    private static void common(ByteArrayOutputStream out, Entry e) {
        int16(out, 20);
        int16(out, 0x0800);
        int16(out, 8);
        int16(out, 0);
        int16(out, 0x21);
        int32(out, e.crc());
        int32(out, e.compressed().length);
        int32(out, e.declaredSize());
        int16(out, e.name().length);
        int16(out, 0);
    }

    private static void int16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >> 8) & 0xFF);
    }

    private static void int32(ByteArrayOutputStream out, long v) {
        int16(out, (int) (v & 0xFFFF));
        int16(out, (int) ((v >> 16) & 0xFFFF));
    }
}
