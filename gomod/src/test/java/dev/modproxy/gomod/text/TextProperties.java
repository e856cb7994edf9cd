package dev.modproxy.gomod.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Go's base64 and UTF-8 rules against the JDK's where the two must agree. */
class TextProperties {

    /** On what Java's decoder accepts as padded base64, Go's decoder agrees. */
    @Property
    void base64AgreesWithJdkOnCanonicalInput(@ForAll byte[] data) {
        assertArrayEquals(data, GoBase64.decode(Base64.getEncoder().encodeToString(data)));
    }

    /** Base64 without its padding is rejected, as Go's StdEncoding rejects it. */
    @Property
    void base64RequiresPadding(@ForAll byte[] data) {
        String s = Base64.getEncoder().withoutPadding().encodeToString(data);
        if (s.length() % 4 != 0) {
            assertEquals(null, GoBase64.decode(s));
        }
    }

    /** UTF-8 validity agrees with the JDK's strict decoder. */
    @Property
    void utf8ValidityAgreesWithJdk(@ForAll byte[] data) {
        boolean jdk;
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data));
            jdk = true;
        } catch (CharacterCodingException e) {
            jdk = false;
        }
        assertEquals(jdk, GoUtf8.isValid(data));
    }

    /** DecodeRune's width steps through any bytes, and a valid sequence decodes to the JDK's code point. */
    @Property
    void decodeAgreesWithJdkOnValidSequences(@ForAll byte[] data) {
        for (int i = 0; i < data.length; i += GoUtf8.width(data, i)) {
            int w = GoUtf8.width(data, i);
            int c = GoUtf8.decode(data, i);
            byte[] one = java.util.Arrays.copyOfRange(data, i, i + w);
            if (GoUtf8.isValid(one)) {
                assertEquals(new String(one, StandardCharsets.UTF_8).codePointAt(0), c);
            } else {
                assertEquals(1, w);
                assertEquals(GoUtf8.RUNE_ERROR, c);
            }
        }
    }
}
