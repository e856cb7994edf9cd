package dev.modproxy.audit.service;

import dev.modproxy.audit.events.AuditEvent;
import dev.modproxy.audit.service.AuditException.Kind;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A parsed {@code GET /api/v1/audit} query.
 *
 * <p>Parameter rules (each at most once; anything else is a 400 with a one-line reason):
 * <ul>
 *   <li>{@code since}, {@code until}: RFC 3339 date-times with an offset ({@code 2024-05-01T00:00:00Z});
 *       events with {@code since <= time < until}. Defaults: the retention window, and now + 1 hour.</li>
 *   <li>{@code module}: exact module path. {@code modulePrefix}: the path or any path under it
 *       ({@code golang.org/x} matches {@code golang.org/x/text}, not {@code golang.org/xyz}).
 *       Not both.</li>
 *   <li>{@code version}, {@code client}, {@code identity}: exact matches.</li>
 *   <li>{@code status}: an HTTP status, 100 to 599. {@code kind}: list, info, mod, zip, latest, sumdb, api.</li>
 *   <li>{@code limit}: 1 to the configured maximum (JSON pages only; NDJSON streams every match
 *       unless a limit is given). {@code cursor}: the {@code next} of the previous page.</li>
 *   <li>{@code format}: {@code json} (default) or {@code ndjson}.</li>
 * </ul>
 * Results are in time order (ties by event id), each event once.
 */
public record AuditQuery(Optional<Instant> since, Optional<Instant> until, Optional<String> module,
                         Optional<String> modulePrefix, Optional<String> version, Optional<String> client,
                         Optional<String> identity, Optional<Integer> status, Optional<AuditEvent.Kind> kind,
                         Optional<Integer> limit, Optional<Cursor> cursor, boolean ndjson) {

    static final Set<String> PARAMETERS = Set.of("since", "until", "module", "modulePrefix", "version", "client",
            "identity", "status", "kind", "limit", "cursor", "format");

    /** Where a page ended: the last event returned, by its sort key. */
    public record Cursor(Instant time, UUID id) {
        public String encode() {
            String raw = time.getEpochSecond() + "." + time.getNano() + "." + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
        }

        static Cursor decode(String s) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.US_ASCII);
                String[] p = raw.split("\\.", 3);
                return new Cursor(Instant.ofEpochSecond(Long.parseLong(p[0]), Integer.parseInt(p[1])), UUID.fromString(p[2]));
            } catch (RuntimeException e) {
                throw new AuditException(Kind.BAD_REQUEST, "cursor: not a cursor from a previous page");
            }
        }
    }

    public static AuditQuery parse(Map<String, List<String>> params, int maxLimit) {
        for (var e : params.entrySet()) {
            if (!PARAMETERS.contains(e.getKey())) {
                throw bad("unknown parameter \"" + printable(e.getKey()) + "\" (since, until, module, modulePrefix, "
                        + "version, client, identity, status, kind, limit, cursor, format)");
            }
            if (e.getValue().size() > 1) {
                throw bad(e.getKey() + ": given more than once");
            }
        }
        Optional<Instant> since = one(params, "since").map(v -> time("since", v));
        Optional<Instant> until = one(params, "until").map(v -> time("until", v));
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            throw bad("since must be before until");
        }
        Optional<String> module = one(params, "module").map(v -> path("module", v));
        Optional<String> prefix = one(params, "modulePrefix").map(v -> path("modulePrefix", v));
        if (module.isPresent() && prefix.isPresent()) {
            throw bad("module and modulePrefix exclude each other");
        }
        Optional<Integer> status = one(params, "status").map(v -> {
            int s = integer("status", v);
            if (s < 100 || s > 599) {
                throw bad("status: " + s + " is not an HTTP status (100 to 599)");
            }
            return s;
        });
        Optional<AuditEvent.Kind> kind = one(params, "kind").map(v -> {
            try {
                return AuditEvent.Kind.ofWire(v);
            } catch (IllegalArgumentException e) {
                throw bad("kind: \"" + printable(v) + "\" is not one of list, info, mod, zip, latest, sumdb, api");
            }
        });
        Optional<Integer> limit = one(params, "limit").map(v -> {
            int l = integer("limit", v);
            if (l < 1 || l > maxLimit) {
                throw bad("limit: must be from 1 to " + maxLimit);
            }
            return l;
        });
        boolean ndjson = one(params, "format").map(v -> switch (v) {
            case "json" -> false;
            case "ndjson" -> true;
            default -> throw bad("format: \"" + printable(v) + "\" is not json or ndjson");
        }).orElse(false);
        return new AuditQuery(since, until, module, prefix, nonEmpty(params, "version"), nonEmpty(params, "client"),
                nonEmpty(params, "identity"), status, kind, limit, one(params, "cursor").map(Cursor::decode), ndjson);
    }

    /** Whether the event passes every filter but the time window. */
    public boolean matches(AuditEvent e) {
        return selects(e.module() == null ? "" : e.module())
                && (version.isEmpty() || version.get().equals(e.version()))
                && (client.isEmpty() || client.get().equals(e.client()))
                && (identity.isEmpty() || identity.get().equals(e.identity()))
                && (status.isEmpty() || status.get() == e.status())
                && (kind.isEmpty() || kind.get() == e.kind());
    }

    /** Whether a segment member for {@code m} (empty: events without a module) can hold matches. */
    public boolean selects(String m) {
        if (module.isPresent()) {
            return module.get().equals(m);
        }
        if (modulePrefix.isPresent()) {
            String p = modulePrefix.get();
            return m.startsWith(p) && (m.length() == p.length() || m.charAt(p.length()) == '/');
        }
        return true;
    }

    private static Optional<String> one(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    private static Optional<String> nonEmpty(Map<String, List<String>> params, String name) {
        return one(params, name).map(v -> {
            if (v.isEmpty()) {
                throw bad(name + ": empty");
            }
            return v;
        });
    }

    private static Instant time(String name, String v) {
        try {
            return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw bad(name + ": \"" + printable(v) + "\" is not an RFC 3339 date-time (like 2024-05-01T00:00:00Z)");
        }
    }

    private static int integer(String name, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad(name + ": \"" + printable(v) + "\" is not a number");
        }
    }

    private static String path(String name, String v) {
        if (v.isEmpty() || v.startsWith("/") || v.endsWith("/")) {
            throw bad(name + ": \"" + printable(v) + "\" is not a module path");
        }
        return v;
    }

    private static String printable(String v) {
        String s = v.length() > 100 ? v.substring(0, 100) + "..." : v;
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static AuditException bad(String message) {
        return new AuditException(Kind.BAD_REQUEST, message);
    }
}
