package dev.modproxy.audit.events;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * A minimal JSON writer into a growing byte array, for {@link AuditEventCodec#encode}.
 *
 * <p>Strings are written as Jackson writes them by default: UTF-8; {@code "} and {@code \}
 * escaped with a backslash; the control characters {@code \b \t \n \f \r} by their short
 * escapes and the other characters below U+0020 as {@code \\u} and four upper-case hex digits; a
 * character beyond the Basic Multilingual Plane as the two {@code \\u} escapes of its surrogate
 * pair; everything else, {@code /} and other non-ASCII included, as itself. An unpaired
 * surrogate, which has no UTF-8 form (Jackson refuses it), is written as U+FFFD, the
 * replacement Java's own encoder makes, so the event is kept.
 *
 * <p>Times are RFC 3339 in UTC truncated to microseconds, as {@link Instant#toString()} prints
 * them: no fraction when it is zero, else 3 or 6 digits. The date-and-seconds prefix is
 * remembered per thread, since consecutive events mostly fall in the same second.
 */
final class JsonBytes {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** The "yyyy-MM-ddTHH:mm:ss" of the last second this thread formatted. */
    private static final ThreadLocal<long[]> LAST_SECOND = ThreadLocal.withInitial(() -> new long[] {Long.MIN_VALUE});
    private static final ThreadLocal<byte[]> LAST_PREFIX = ThreadLocal.withInitial(() -> new byte[19]);

    private byte[] buf;
    private int len;

    JsonBytes(int capacity) {
        buf = new byte[capacity];
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** ASCII text written as is (field names and punctuation chosen by the caller). */
    JsonBytes raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    JsonBytes num(long v) {
        return raw(Long.toString(v));
    }

    /** {@code ,"name":"value"}, or nothing when value is null. */
    JsonBytes field(String name, String value) {
        if (value == null) {
            return this;
        }
        raw(",\"").raw(name).raw("\":\"");
        string(value);
        buf[len++] = '"';
        return this;
    }

    private void string(String s) {
        int n = s.length();
        // Worst case per char: 6 bytes (one escape); plus the closing quote.
        ensure(n * 6 + 1);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    buf[len++] = (byte) c;
                } else {
                    escape(c);
                }
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xC0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                unicodeEscape(c);
                unicodeEscape(s.charAt(++i));
            } else {
                int cp = Character.isSurrogate(c) ? 0xFFFD : c;
                buf[len++] = (byte) (0xE0 | (cp >> 12));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (cp & 0x3F));
            }
        }
    }

    private void escape(char c) {
        buf[len++] = '\\';
        switch (c) {
            case '"' -> buf[len++] = '"';
            case '\\' -> buf[len++] = '\\';
            case '\b' -> buf[len++] = 'b';
            case '\t' -> buf[len++] = 't';
            case '\n' -> buf[len++] = 'n';
            case '\f' -> buf[len++] = 'f';
            case '\r' -> buf[len++] = 'r';
            default -> {
                len--;
                unicodeEscape(c);
            }
        }
    }

    private void unicodeEscape(char c) {
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[(c >> 12) & 0xF];
        buf[len++] = HEX[(c >> 8) & 0xF];
        buf[len++] = HEX[(c >> 4) & 0xF];
        buf[len++] = HEX[c & 0xF];
    }

    /** The instant as Instant.toString() prints it after truncation to microseconds. */
    JsonBytes time(Instant t) {
        long second = t.getEpochSecond();
        int micros = t.getNano() / 1000;
        // Four-digit years only; others (never seen in practice) take the JDK's own printer.
        if (second < -62167219200L || second >= 253402300800L) {
            return raw(Instant.ofEpochSecond(second, micros * 1000L).toString());
        }
        long[] last = LAST_SECOND.get();
        byte[] prefix = LAST_PREFIX.get();
        if (last[0] != second) {
            LocalDateTime d = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
            digits(prefix, 0, d.getYear(), 4);
            prefix[4] = '-';
            digits(prefix, 5, d.getMonthValue(), 2);
            prefix[7] = '-';
            digits(prefix, 8, d.getDayOfMonth(), 2);
            prefix[10] = 'T';
            digits(prefix, 11, d.getHour(), 2);
            prefix[13] = ':';
            digits(prefix, 14, d.getMinute(), 2);
            prefix[16] = ':';
            digits(prefix, 17, d.getSecond(), 2);
            last[0] = second;
        }
        ensure(19 + 7 + 1);
        System.arraycopy(prefix, 0, buf, len, 19);
        len += 19;
        if (micros != 0) {
            buf[len++] = '.';
            if (micros % 1000 == 0) {
                digits(buf, len, micros / 1000, 3);
                len += 3;
            } else {
                digits(buf, len, micros, 6);
                len += 6;
            }
        }
        buf[len++] = 'Z';
        return this;
    }

    private static void digits(byte[] into, int at, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            into[at + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
