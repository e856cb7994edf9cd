package dev.modproxy.fetcher.vcs;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** go-import meta tags as cmd/go/internal/vcs parses them. */
class RepoResolverTest {

    @Test
    void metaTagsInTheHeadOnlyWithModEntriesFirst() {
        String html = """
                <html><head>
                <meta name="go-import" content="corp.example/lib git https://git.corp.example/lib">
                <meta name='go-import' content='corp.example mod https://proxy.corp.example'>
                <meta name="go-source" content="corp.example/lib x y z">
                <meta name="go-import" content="corp.example/bad">
                </head><body>
                <meta name="go-import" content="corp.example/late git https://late">
                </body></html>
                """;
        assertEquals(List.of(new RepoResolver.MetaImport("corp.example", "mod", "https://proxy.corp.example"),
                        new RepoResolver.MetaImport("corp.example/lib", "git", "https://git.corp.example/lib")),
                RepoResolver.parseMeta(html));
    }
}
