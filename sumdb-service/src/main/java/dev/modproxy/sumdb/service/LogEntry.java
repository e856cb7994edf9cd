package dev.modproxy.sumdb.service;

import dev.modproxy.gomod.tlog.Hash;
import dev.modproxy.gomod.GoModException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One append to the own log, as stored under {@code sumdb/<name>/tree/<N>} (N = the tree size
 * the append makes, = record id + 1). Whoever stores that key first has appended record N-1;
 * the blob is written once and never changed, so it carries everything the append decided:
 *
 * <pre>
 *   modproxy sumdb entry 1\n
 *   &lt;record id, decimal&gt;\n
 *   &lt;k, decimal&gt;\n                      the number of stored hashes this record adds (1 + trailing ones of id)
 *   &lt;hash, base64&gt;\n  × k                 in stored-hash order, starting at storedHashIndex(0, id)
 *   &lt;byte length of the record text&gt;\n
 *   &lt;record text&gt;                      go.sum lines, each ending in \n
 *   &lt;signed tree note&gt;                 the signed head of the tree of size N, to the end of the blob
 * </pre>
 *
 * A reader recomputes the hashes from the text and checks them and the note, so a damaged or
 * foreign blob is refused rather than served.
 */
public record LogEntry(long id, List<Hash> hashes, String text, byte[] signedTree) {

    private static final String MAGIC = "modproxy sumdb entry 1";

    public LogEntry {
        hashes = List.copyOf(hashes);
        signedTree = signedTree.clone();
    }

    @Override
    public byte[] signedTree() {
        return signedTree.clone();
    }

    public byte[] format() {
        StringBuilder head = new StringBuilder();
        head.append(MAGIC).append('\n').append(id).append('\n').append(hashes.size()).append('\n');
        for (Hash h : hashes) {
            head.append(h).append('\n');
        }
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        head.append(t.length).append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(t);
        out.writeBytes(signedTree);
        return out.toByteArray();
    }

    public static LogEntry parse(byte[] b) throws GoModException {
        Reader r = new Reader(b);
        if (!r.line().equals(MAGIC)) {
            throw bad("not a log entry");
        }
        long id = r.number();
        long k = r.number();
        if (k < 1 || k > 64) {
            throw bad("bad hash count");
        }
        List<Hash> hashes = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            hashes.add(Hash.parse(r.line()));
        }
        long len = r.number();
        if (len > b.length - r.pos) {
            throw bad("truncated record text");
        }
        String text = new String(b, r.pos, (int) len, StandardCharsets.UTF_8);
        byte[] note = Arrays.copyOfRange(b, r.pos + (int) len, b.length);
        return new LogEntry(id, hashes, text, note);
    }

    private static GoModException bad(String why) {
        return new GoModException(GoModException.Kind.INVALID_TLOG, "malformed log entry: " + why);
    }

    private static final class Reader {
        final byte[] b;
        int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        String line() throws GoModException {
            for (int i = pos; i < b.length; i++) {
                if (b[i] == '\n') {
                    String s = new String(b, pos, i - pos, StandardCharsets.UTF_8);
                    pos = i + 1;
                    return s;
                }
            }
            throw bad("missing newline");
        }

        long number() throws GoModException {
            String s = line();
            if (!s.matches("0|[1-9][0-9]{0,17}")) {
                throw bad("bad number");
            }
            return Long.parseLong(s);
        }
    }
}
