package dev.modproxy.gomod.modfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import dev.modproxy.gomod.text.GoQuote;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads go.mod texts and compares what we extract with what x/mod extracts (resource
 * modfile/parse.txt: x/mod's own table tests and testdata files plus further cases, with the
 * expected output produced by x/mod).
 */
class GoModTest {

    record Case(String name, boolean lax, String input, String want) {
        @Override
        public String toString() {
            return name + (lax ? " (lax)" : "");
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        String header = null;
        List<String> input = new ArrayList<>();
        StringBuilder want = null;
        for (String line : TestData.lines("modfile/parse.txt")) {
            if (line.startsWith("=== ")) {
                if (header != null) {
                    out.add(Arguments.of(toCase(header, input, want.toString())));
                }
                header = line;
                input = new ArrayList<>();
                want = null;
            } else if (header == null) {
                continue;
            } else if (want == null && line.equals("---")) {
                want = new StringBuilder();
            } else if (want == null) {
                input.add(line);
            } else {
                want.append(line).append('\n');
            }
        }
        out.add(Arguments.of(toCase(header, input, want.toString())));
        return out.stream();
    }

    private static Case toCase(String header, List<String> input, String want) {
        String[] h = header.substring(4).split(" ");
        String text = Cells.unescape(String.join("\n", input));
        if (!List.of(h).contains("nonl")) {
            text += "\n";
        }
        return new Case(h[0], h[1].equals("lax"), text, want);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsLikeXMod(Case c) {
        byte[] data = c.input().getBytes(StandardCharsets.UTF_8);
        String got;
        try {
            GoMod mod = c.lax() ? GoMod.parseLax("go.mod", data) : GoMod.parse("go.mod", data);
            got = render(mod);
        } catch (GoModException e) {
            assertEquals(GoModException.Kind.INVALID_MOD, e.kind());
            got = "error " + e.getMessage() + "\n";
        }
        assertEquals(c.want(), got);
    }

    static Stream<Arguments> modulePaths() throws IOException {
        return TestData.arguments("modfile/module-path.tsv", Cells::unescape);
    }

    @ParameterizedTest(name = "ModulePath({0}) = {1}")
    @MethodSource("modulePaths")
    void findsModulePathLikeXMod(String mod, String want) {
        assertEquals(want, GoMod.modulePath(mod.getBytes(StandardCharsets.UTF_8)));
    }

    private static String render(GoMod f) {
        StringBuilder b = new StringBuilder();
        if (!f.modulePath().isEmpty()) {
            b.append("module ").append(GoQuote.quote(f.modulePath())).append('\n');
            if (!f.deprecated().isEmpty()) {
                b.append("deprecated ").append(GoQuote.quote(f.deprecated())).append('\n');
            }
        }
        if (!f.goVersion().isEmpty()) {
            b.append("go ").append(f.goVersion()).append('\n');
        }
        for (GoMod.Require r : f.requires()) {
            b.append("require ").append(r.path()).append(' ').append(r.version())
                    .append(r.indirect() ? " indirect" : "").append('\n');
        }
        for (GoMod.Exclude r : f.excludes()) {
            b.append("exclude ").append(r.path()).append(' ').append(r.version()).append('\n');
        }
        for (GoMod.Replace r : f.replaces()) {
            b.append("replace ").append(r.oldPath()).append(' ').append(GoQuote.quote(r.oldVersion()))
                    .append(" => ").append(r.newPath()).append(' ').append(GoQuote.quote(r.newVersion()))
                    .append('\n');
        }
        for (GoMod.Retract r : f.retracts()) {
            b.append("retract ").append(r.interval().low()).append(' ').append(r.interval().high())
                    .append(' ').append(GoQuote.quote(r.rationale())).append('\n');
        }
        return b.toString();
    }
}
