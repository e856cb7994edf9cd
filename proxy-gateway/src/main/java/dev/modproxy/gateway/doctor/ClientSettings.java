package dev.modproxy.gateway.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The go environment a client of this modproxy needs, with why, in the four forms
 * {@code /api/v1/client/env?format=} serves. Rules:
 * <ul>
 *   <li>GOPROXY is the gateway's external URL alone, or with {@code ,direct} when the operator
 *       allows a fallback to origin servers ({@code modproxy.client.direct-fallback}).</li>
 *   <li>GOSUMDB is modproxy's own checksum database with its verifier key: it records every
 *       version modproxy serves, private ones included, so no module needs to escape it.</li>
 *   <li>GOPRIVATE, GONOPROXY and GONOSUMDB are empty: a pattern there makes go fetch the
 *       matching modules straight from their origin (bypassing modproxy's cache, policy and
 *       audit trail) or skip the checksum check. modproxy fetches its own private modules
 *       ({@code modproxy.private}) from git itself; clients need no pattern for them.</li>
 *   <li>GOINSECURE is empty; GOFLAGS carries no {@code -mod=vendor} (a vendored build never
 *       asks any proxy); GOTOOLCHAIN is left to go (toolchains are modules,
 *       {@code golang.org/toolchain}, and come through GOPROXY like any other).</li>
 * </ul>
 */
public record ClientSettings(String goproxy, String gosumdb, String serverPrivate) {

    /** One variable: its name, value, and why (a comment in every form). */
    public record Setting(String name, String value, String why) {
    }

    /** The forms of {@code ?format=}. */
    public enum Format {
        /** {@code go env -w NAME=value} lines, for a shell (the default). */
        GO_ENV_W("text/plain; charset=utf-8"),
        /** The contents of a GOENV file ({@code go env GOENV}), {@code NAME=value} lines. */
        GOENV("text/plain; charset=utf-8"),
        /** {@code export NAME='value'} lines. */
        SH("text/plain; charset=utf-8"),
        JSON("application/json");

        public final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }

        /** The format named by the query parameter, or null when it is not one. */
        public static Format parse(String s) {
            if (s == null || s.isEmpty()) {
                return GO_ENV_W;
            }
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "go-env-w", "go-env" -> GO_ENV_W;
                case "goenv" -> GOENV;
                case "sh", "shell", "export" -> SH;
                case "json" -> JSON;
                default -> null;
            };
        }
    }

    public static ClientSettings of(String externalUrl, boolean directFallback, String verifierKey, String serverPrivate) {
        String url = externalUrl.replaceAll("/+$", "");
        return new ClientSettings(directFallback ? url + ",direct" : url, verifierKey, serverPrivate);
    }

    public List<Setting> settings() {
        List<Setting> s = new ArrayList<>();
        s.add(new Setting("GOPROXY", goproxy, goproxy.endsWith(",direct")
                ? "modproxy first; origin servers only when modproxy answers 404/410"
                : "every module through modproxy (no direct fallback)"));
        s.add(new Setting("GOSUMDB", gosumdb,
                "modproxy's own checksum database: it records every version modproxy serves, private ones too"));
        String priv = serverPrivate == null || serverPrivate.isBlank() ? ""
                : " (modproxy itself fetches " + serverPrivate + " from git)";
        s.add(new Setting("GOPRIVATE", "", "empty: a pattern here makes go bypass modproxy" + priv));
        s.add(new Setting("GONOPROXY", "", "empty: a pattern here makes go fetch from origin servers"));
        s.add(new Setting("GONOSUMDB", "", "empty: modproxy's checksum database covers every module it serves"));
        s.add(new Setting("GOINSECURE", "", "empty: no module over plain HTTP or unverified TLS"));
        return s;
    }

    public String render(Format f) {
        StringBuilder b = new StringBuilder();
        switch (f) {
            case JSON -> {
                b.append("{\n  \"settings\": [\n");
                List<Setting> all = settings();
                for (int i = 0; i < all.size(); i++) {
                    Setting s = all.get(i);
                    b.append("    {\"name\": ").append(json(s.name())).append(", \"value\": ").append(json(s.value()))
                            .append(", \"why\": ").append(json(s.why())).append(i + 1 < all.size() ? "},\n" : "}\n");
                }
                b.append("  ],\n  \"GOTOOLCHAIN\": ").append(json("leave to go: toolchains are modules and come through GOPROXY"))
                        .append(",\n  \"doctor\": ").append(json("curl -fsS " + base() + "/doctor | sh")).append("\n}\n");
            }
            case GO_ENV_W -> {
                for (Setting s : settings()) {
                    b.append("# ").append(s.why()).append('\n');
                    b.append("go env -w ").append(s.name()).append('=').append(shellQuote(s.value())).append('\n');
                }
                b.append("# check: curl -fsS ").append(base()).append("/doctor | sh\n");
            }
            case GOENV -> {
                for (Setting s : settings()) {
                    b.append("# ").append(s.why()).append('\n');
                    b.append(s.name()).append('=').append(s.value()).append('\n');
                }
            }
            case SH -> {
                for (Setting s : settings()) {
                    b.append("# ").append(s.why()).append('\n');
                    b.append("export ").append(s.name()).append('=').append(shellQuote(s.value())).append('\n');
                }
            }
        }
        return b.toString();
    }

    /** The gateway URL (GOPROXY without a fallback). */
    public String base() {
        int comma = goproxy.indexOf(',');
        return comma < 0 ? goproxy : goproxy.substring(0, comma);
    }

    static String shellQuote(String v) {
        return "'" + v.replace("'", "'\\''") + "'";
    }

    static String json(String v) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
