package dev.modproxy.gomod.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fold table is what the installed go computes, and folding gives Go's EqualFold. */
class CaseFoldTest {

    @TempDir
    Path tmp;

    @Test
    void tableMatchesGo() throws Exception {
        Path gen = tmp.resolve("gen.go");
        try (var in = getClass().getResourceAsStream("casefold_gen.go")) {
            Files.copy(in, gen);
        }
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/go", "run", gen.toString()).redirectErrorStream(false);
        pb.environment().keySet().removeIf(k -> k.startsWith("GO"));
        pb.environment().put("HOME", tmp.toString());
        pb.environment().put("GOCACHE", tmp.resolve("cache").toString());
        pb.environment().put("GO111MODULE", "off");
        Process p = pb.start();
        String fromGo = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(300, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        String ours;
        try (var in = CaseFold.class.getResourceAsStream("casefold.txt")) {
            ours = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(l -> !l.startsWith("#")).map(l -> l + "\n").reduce("", String::concat);
        }
        assertEquals(fromGo, ours);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '\t', textBlock = """
            m.go	M.GO	true
            k	\u212A	true
            s	\u017F	true
            \u03C3	\u03C2	true
            i	\u0130	false
            go.mod	GO.MOD	true
            a	b	false
            """)
    void equalFold(String a, String b, boolean expected) {
        assertEquals(expected, CaseFold.equalFold(a, b));
    }
}
