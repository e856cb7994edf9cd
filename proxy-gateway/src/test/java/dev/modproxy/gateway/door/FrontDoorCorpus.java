package dev.modproxy.gateway.door;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The lines of {@code front-door/targets.tsv}: method, raw target, expected kind or status. */
public record FrontDoorCorpus(String method, String target, String expected) {

    public static List<FrontDoorCorpus> read() throws IOException {
        try (InputStream in = FrontDoorCorpus.class.getResourceAsStream("/front-door/targets.tsv")) {
            List<FrontDoorCorpus> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 3) {
                    throw new IllegalStateException("targets.tsv: want three tab-separated fields: " + line);
                }
                out.add(new FrontDoorCorpus(f[0], f[1], f[2]));
            }
            return out;
        }
    }

    /** Whether the door must refuse the target (the expectation is a status). */
    public boolean refused() {
        return Character.isDigit(expected.charAt(0));
    }

    @Override
    public String toString() {
        return method + " " + target + " -> " + expected;
    }
}
