package dev.modproxy.gomod.modfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modproxy.gomod.modfile.Syntax.Comment;
import dev.modproxy.gomod.modfile.Syntax.CommentBlock;
import dev.modproxy.gomod.modfile.Syntax.Line;
import dev.modproxy.gomod.modfile.Syntax.LineBlock;
import dev.modproxy.gomod.modfile.Syntax.Node;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import dev.modproxy.gomod.text.GoQuote;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The go.mod lexer and parser: tokens and comment attachment as x/mod's read_test.go has them (modfile/punctuation.tsv, comments.txt). */
class SyntaxReaderTest {

    static Stream<Arguments> punctuation() throws IOException {
        return TestData.rows("modfile/punctuation.tsv").stream()
                .map(f -> Arguments.of(f[0], Cells.unescape(f[1]), f[2]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("punctuation")
    void punctuationIsTokenized(String name, String src, String want) throws Exception {
        List<String> tokens = new ArrayList<>();
        for (Node stmt : SyntaxReader.read("go.mod", src).statements) {
            if (stmt instanceof Line l) {
                tokens.addAll(l.tokens);
            } else if (stmt instanceof LineBlock b) {
                tokens.addAll(b.tokens);
                tokens.add("(");
                b.lines.forEach(l -> tokens.addAll(l.tokens));
                tokens.add(")");
            }
        }
        assertEquals(want, String.join(" ", tokens));
    }

    static Stream<Arguments> comments() throws IOException {
        List<Arguments> out = new ArrayList<>();
        String name = null;
        List<String> src = new ArrayList<>();
        List<String> want = null;
        for (String line : TestData.lines("modfile/comments.txt")) {
            if (line.startsWith("=== ")) {
                if (name != null) {
                    out.add(Arguments.of(name, Cells.unescape(String.join("\n", src)) + "\n", want));
                }
                name = line.substring(4);
                src = new ArrayList<>();
                want = null;
            } else if (name != null && want == null && line.equals("---")) {
                want = new ArrayList<>();
            } else if (name != null && want == null) {
                src.add(line);
            } else if (name != null) {
                want.add(line);
            }
        }
        out.add(Arguments.of(name, Cells.unescape(String.join("\n", src)) + "\n", want));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("comments")
    void commentsAreAttachedLikeXMod(String name, String src, List<String> want) throws Exception {
        Syntax.File f = SyntaxReader.read("go.mod", src);
        List<String> got = new ArrayList<>();
        print(got, "file", f);
        for (Node stmt : f.statements) {
            if (stmt instanceof CommentBlock) {
                print(got, "comments", stmt);
            } else if (stmt instanceof Line) {
                print(got, "line", stmt);
            } else if (stmt instanceof LineBlock b) {
                print(got, "block", b);
                print(got, "lparen", b.lparen);
                b.lines.forEach(l -> print(got, "blockline", l));
                print(got, "rparen", b.rparen);
            }
        }
        assertEquals(want, got);
    }

    private static void print(List<String> out, String prefix, Node n) {
        for (Comment c : n.comments.before) {
            out.add(prefix + " before " + GoQuote.quote(c.token()));
        }
        for (Comment c : n.comments.suffix) {
            out.add(prefix + " suffix " + GoQuote.quote(c.token()));
        }
    }
}
