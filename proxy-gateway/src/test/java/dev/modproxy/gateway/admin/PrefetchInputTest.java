package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gomod.module.ModuleVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefetchInputTest {

    static PrefetchInput parse(String s) throws ProxyException {
        return PrefetchInput.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Boolean> names(PrefetchInput in) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (Map.Entry<ModuleVersion, Boolean> e : in.versions().entrySet()) {
            m.put(e.getKey().toString(), e.getValue());
        }
        return m;
    }

    @Test
    void goModRequirementsAndVersionedReplacements() throws Exception {
        PrefetchInput in = parse("""
                module example.com/app

                go 1.19

                require (
                	github.com/pkg/errors v0.9.1
                	golang.org/x/text v0.3.7 // indirect
                )

                replace example.com/old => example.com/new v1.2.3
                replace example.com/local => ../local
                """);
        assertEquals("go.mod", in.format());
        assertEquals(Map.of("github.com/pkg/errors@v0.9.1", true, "golang.org/x/text@v0.3.7", true,
                "example.com/new@v1.2.3", true), names(in));
    }

    @Test
    void goSumLinesWithGoModOnlyStayGoModOnly() throws Exception {
        PrefetchInput in = parse("""
                github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=
                github.com/pkg/errors v0.9.1/go.mod h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=
                golang.org/x/text v0.3.7/go.mod h1:u+2+/6zg+i71rQMx5EYifcz6MCKuco9NR6JIITiCfzQ=
                """);
        assertEquals("go.sum", in.format());
        assertEquals(Map.of("github.com/pkg/errors@v0.9.1", true, "golang.org/x/text@v0.3.7", false), names(in));
    }

    @Test
    void listsAndTheirMistakes() throws Exception {
        assertEquals(Map.of("a.example/x@v1.0.0", true, "b.example/y/v2@v2.1.0", true),
                names(parse("a.example/x@v1.0.0,b.example/y/v2@v2.1.0 # two\n\n")));
        ProxyException e = assertThrows(ProxyException.class, () -> parse("a.example/x@latest"));
        assertTrue(e.getMessage().contains("a.example/x@latest"), e.getMessage());
        assertThrows(ProxyException.class, () -> parse("a.example/x"));
        assertThrows(ProxyException.class, () -> parse("  \n# nothing\n"));
    }
}
