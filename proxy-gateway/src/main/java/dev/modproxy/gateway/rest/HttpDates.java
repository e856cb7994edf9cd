package dev.modproxy.gateway.rest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** HTTP dates (IMF-fixdate, RFC 9110 section 5.6.7): {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
final class HttpDates {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** Formatted dates of stored artifacts, which repeat on every hit; bounded, cleared when full. */
    private static final java.util.concurrent.ConcurrentHashMap<Instant, String> FORMATTED =
            new java.util.concurrent.ConcurrentHashMap<>();

    static String format(Instant instant) {
        String s = FORMATTED.get(instant);
        if (s == null) {
            s = IMF_FIXDATE.format(instant);
            if (FORMATTED.size() >= 10_000) {
                FORMATTED.clear();
            }
            FORMATTED.put(instant, s);
        }
        return s;
    }
}
