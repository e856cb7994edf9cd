package dev.modproxy.gomod.tlog;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.text.GoDecimal;
import dev.modproxy.gomod.text.GoUtf8;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A log record as a checksum database serves it in a lookup response or data tile (x/mod's
 * {@code tlog.FormatRecord} and {@code ParseRecord}): the record id in decimal and a newline,
 * the record text, then a blank line.
 *
 * <p>Record text must be valid UTF-8 with no ASCII control character other than newline, must
 * end in a newline, and must contain no blank line (so the blank line after it is unambiguous).
 * The id is read as Go's {@code strconv.ParseInt} reads it, so a sign or leading zeros pass.
 *
 * <p>Constructing a record with invalid text is a programming error
 * ({@code IllegalArgumentException}); bytes from outside go through {@link #parse} or
 * {@link #format(long, byte[])}, which report bad input with {@code GoModException}.
 *
 * @param id the record id
 * @param text the record text, valid as above
 */
public record Record(long id, String text) {

    private static final String MALFORMED = "malformed record data";

    public Record {
        if (!isValidText(text.getBytes(StandardCharsets.UTF_8)) || !GoUtf8.isValid(text)) {
            throw new IllegalArgumentException(MALFORMED);
        }
    }

    /** A parsed record and the bytes that followed it. */
    public record Parsed(Record record, byte[] rest) {
        public Parsed {
            rest = rest.clone();
        }

        @Override
        public byte[] rest() {
            return rest.clone();
        }
    }

    /** The served form of record {@code id} with the given text. */
    public static byte[] format(long id, byte[] text) throws GoModException {
        if (!isValidText(text)) {
            throw malformed();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((id + "\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(text);
        out.write('\n');
        return out.toByteArray();
    }

    /** The served form of this record. */
    public byte[] format() {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        try {
            return format(id, t);
        } catch (GoModException e) {
            throw new IllegalStateException(e); // the text was validated at construction
        }
    }

    /** Parses the record at the start of msg, up to and including its terminating blank line. */
    public static Parsed parse(byte[] msg) throws GoModException {
        int i = indexOf(msg, 0);
        if (i < 0) {
            throw malformed();
        }
        Long id = GoDecimal.parse(new String(msg, 0, i, StandardCharsets.ISO_8859_1));
        if (id == null) {
            throw malformed();
        }
        int textStart = i + 1;
        int blank = -1;
        for (int j = textStart; j + 1 < msg.length; j++) {
            if (msg[j] == '\n' && msg[j + 1] == '\n') {
                blank = j;
                break;
            }
        }
        if (blank < 0) {
            throw malformed();
        }
        byte[] text = Arrays.copyOfRange(msg, textStart, blank + 1);
        if (!isValidText(text)) {
            throw malformed();
        }
        return new Parsed(new Record(id, new String(text, StandardCharsets.UTF_8)),
                Arrays.copyOfRange(msg, blank + 2, msg.length));
    }

    /** Valid record text: clean UTF-8, ending in newline, without blank lines. */
    static boolean isValidText(byte[] text) {
        if (text.length == 0 || text[text.length - 1] != '\n' || !GoUtf8.isCleanText(text, 0, text.length)) {
            return false;
        }
        for (int i = 1; i < text.length; i++) {
            if (text[i] == '\n' && text[i - 1] == '\n') {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static GoModException malformed() {
        return new GoModException(GoModException.Kind.INVALID_TLOG, MALFORMED);
    }
}
