package dev.modproxy.gomod.text;

import java.util.Base64;

/**
 * Standard padded base64 (RFC 4648 §4) decoded with the exact leniency of Go's
 * {@code base64.StdEncoding.DecodeString}, which differs from {@link Base64#getDecoder()}:
 *
 * <ul>
 *   <li>padding is required: the input, once carriage returns and newlines are dropped, must be
 *       a whole number of 4-character quanta ("AB" is an error in Go, accepted by Java);</li>
 *   <li>'\r' and '\n' are ignored wherever they appear, even inside the padding;</li>
 *   <li>'=' may only fill the last one or two places of the final quantum;</li>
 *   <li>unused low bits of the last character need not be zero (StdEncoding is not Strict).</li>
 * </ul>
 *
 * Encoding has no such subtleties, so it is the JDK's.
 */
public final class GoBase64 {

    private static final String ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private GoBase64() {
    }

    public static String encode(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    /** Decodes {@code s}, or returns null where Go would report a CorruptInputError. */
    public static byte[] decode(String s) {
        StringBuilder in = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\r' && c != '\n') {
                in.append(c);
            }
        }
        int n = in.length();
        if (n % 4 != 0) {
            return null;
        }
        int pad = 0;
        if (n > 0 && in.charAt(n - 1) == '=') {
            pad = in.charAt(n - 2) == '=' ? 2 : 1;
        }
        byte[] out = new byte[n / 4 * 3 - pad];
        int o = 0;
        for (int q = 0; q < n; q += 4) {
            int bits = 0;
            int chars = q + 4 == n ? 4 - pad : 4;
            for (int k = 0; k < 4; k++) {
                int v = 0;
                if (k < chars) {
                    v = ALPHABET.indexOf(in.charAt(q + k));
                    if (v < 0) {
                        return null;
                    }
                }
                bits = bits << 6 | v;
            }
            for (int k = 0; k < chars - 1; k++) {
                out[o++] = (byte) (bits >> (16 - 8 * k));
            }
        }
        return out;
    }
}
