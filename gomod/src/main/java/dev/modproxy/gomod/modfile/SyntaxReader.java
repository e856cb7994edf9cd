package dev.modproxy.gomod.modfile;

import dev.modproxy.gomod.modfile.Syntax.Comment;
import dev.modproxy.gomod.modfile.Syntax.CommentBlock;
import dev.modproxy.gomod.modfile.Syntax.Line;
import dev.modproxy.gomod.modfile.Syntax.LineBlock;
import dev.modproxy.gomod.modfile.Syntax.Node;
import dev.modproxy.gomod.modfile.Syntax.Paren;
import dev.modproxy.gomod.modfile.Syntax.Pos;
import dev.modproxy.gomod.text.GoQuote;
import dev.modproxy.gomod.text.GoText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The go.mod lexer and parser of x/mod's {@code read.go}.
 *
 * <p>Lexical rules: spaces, tabs and carriage returns separate tokens. {@code //} starts a
 * comment running to the end of the line; a comment alone on its line is a whole-line comment,
 * otherwise a suffix comment. {@code /*} comments are an error. Newlines and
 * {@code ( ) [ ] { } ,} are tokens of their own. {@code "..."} (with backslash escapes) and
 * {@code `...`} are strings, which may not span lines. Everything else is an identifier: a run
 * of printable, non-space characters other than the punctuation above, stopped by {@code //}.
 *
 * <p>Grammar: a statement is the tokens up to the end of the line. If a line ends in
 * {@code (}, it opens a block whose lines run until a line holding just {@code )}; {@code ( )}
 * on one line is an empty block. Whole-line comments directly above a statement (no blank
 * line between) belong to it; others form comment blocks. A suffix comment belongs to the
 * last single-line node that ends before it.
 */
final class SyntaxReader {

    private static final int EOF = -1;
    private static final int EOL_COMMENT = -2;
    private static final int IDENT = -3;
    private static final int STRING = -4;
    private static final int COMMENT = -5;

    /** A syntax error at a position; turned into x/mod's message by the caller. */
    static final class SyntaxError extends Exception {
        final Pos pos;

        SyntaxError(Pos pos, String message) {
            super(message, null, false, false);
            this.pos = pos;
        }
    }

    private record Token(int kind, Pos pos, Pos endPos, String text) {
        boolean isEol() {
            return kind == EOF || kind == EOL_COMMENT || kind == '\n';
        }
    }

    private final String filename;
    private final String src;
    private int at;
    private Pos pos = new Pos(1, 1, 0);
    private Token token;
    private final List<Comment> suffixComments = new ArrayList<>();
    private final Syntax.File file = new Syntax.File();

    private SyntaxReader(String filename, String src) {
        this.filename = filename;
        this.src = src;
    }

    /** Parses the file into statements with their comments attached. */
    static Syntax.File read(String filename, String src) throws SyntaxError {
        SyntaxReader r = new SyntaxReader(filename, src);
        r.readToken();
        r.parseFile();
        r.assignSuffixComments();
        return r.file;
    }

    // ---- lexer ----

    private boolean eof() {
        return at >= src.length();
    }

    private int peekRune() {
        return eof() ? 0 : src.codePointAt(at);
    }

    private boolean peekPrefix(String p) {
        return src.startsWith(p, at);
    }

    private int readRune() {
        int c = src.codePointAt(at);
        at += Character.charCount(c);
        pos = c == '\n' ? new Pos(pos.line() + 1, 1, at) : new Pos(pos.line(), pos.lineRune() + 1, at);
        return c;
    }

    private SyntaxError error(String msg) {
        return new SyntaxError(pos, msg);
    }

    private void readToken() throws SyntaxError {
        while (!eof()) {
            int c = peekRune();
            if (c == ' ' || c == '\t' || c == '\r') {
                readRune();
                continue;
            }
            if (peekPrefix("//")) {
                int start = at;
                Pos startPos = pos;
                int nl = src.lastIndexOf('\n', at - 1);
                boolean suffix = !GoText.trimSpace(src.substring(nl + 1, at)).isEmpty();
                readRune();
                readRune();
                while (!eof() && readRune() != '\n') {
                    // consume the comment
                }
                String text = commentText(src.substring(start, at));
                token = new Token(suffix ? EOL_COMMENT : COMMENT, startPos, pos, text);
                if (suffix) {
                    suffixComments.add(new Comment(startPos, text, true));
                }
                return;
            }
            if (peekPrefix("/*")) {
                throw error("mod files must use // comments (not /* */ comments)");
            }
            break;
        }
        int start = at;
        Pos startPos = pos;
        if (eof()) {
            token = new Token(EOF, startPos, pos, "");
            return;
        }
        int c = peekRune();
        switch (c) {
            case '\n', '(', ')', '[', ']', '{', '}', ',' -> {
                readRune();
                token = new Token(c, startPos, pos, src.substring(start, at));
                return;
            }
            case '"', '`' -> {
                readString(c, startPos);
                token = new Token(STRING, startPos, pos, src.substring(start, at));
                return;
            }
            default -> {
            }
        }
        if (!isIdent(c)) {
            throw error("unexpected input character " + GoQuote.quoteRune(c));
        }
        while (isIdent(peekRune())) {
            if (peekPrefix("//")) {
                break;
            }
            if (peekPrefix("/*")) {
                throw error("mod files must use // comments (not /* */ comments)");
            }
            readRune();
        }
        token = new Token(IDENT, startPos, pos, src.substring(start, at));
    }

    private void readString(int quote, Pos startPos) throws SyntaxError {
        readRune();
        while (true) {
            if (eof()) {
                throw new SyntaxError(startPos, "unexpected EOF in string");
            }
            if (peekRune() == '\n') {
                throw error("unexpected newline in string");
            }
            int c = readRune();
            if (c == quote) {
                return;
            }
            if (c == '\\' && quote != '`') {
                if (eof()) {
                    throw new SyntaxError(startPos, "unexpected EOF in string");
                }
                readRune();
            }
        }
    }

    /** A comment token loses one trailing LF or CRLF. */
    private static String commentText(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static boolean isIdent(int c) {
        return switch (c) {
            case ' ', '(', ')', '[', ']', '{', '}', ',' -> false;
            default -> !GoText.isSpace(c) && GoQuote.isPrint(c);
        };
    }

    private Token lex() throws SyntaxError {
        Token t = token;
        readToken();
        return t;
    }

    // ---- parser ----

    private void parseFile() throws SyntaxError {
        CommentBlock cb = null;
        while (true) {
            switch (token.kind) {
                case '\n' -> {
                    lex();
                    if (cb != null) {
                        file.statements.add(cb);
                        cb = null;
                    }
                }
                case COMMENT -> {
                    Token t = lex();
                    if (cb == null) {
                        cb = new CommentBlock(t.pos);
                    }
                    cb.comments.before.add(new Comment(t.pos, t.text, false));
                }
                case EOF -> {
                    if (cb != null) {
                        file.statements.add(cb);
                    }
                    return;
                }
                default -> {
                    parseStatement();
                    if (cb != null) {
                        file.statements.get(file.statements.size() - 1).comments.before = cb.comments.before;
                        cb = null;
                    }
                }
            }
        }
    }

    private void parseStatement() throws SyntaxError {
        Token first = lex();
        Pos start = first.pos;
        Pos end = first.endPos;
        List<String> tokens = new ArrayList<>(List.of(first.text));
        while (true) {
            Token t = lex();
            if (t.isEol()) {
                file.statements.add(new Line(start, tokens, end));
                return;
            }
            if (t.kind == '(') {
                if (token.isEol()) {
                    file.statements.add(parseLineBlock(start, tokens, t));
                    return;
                }
                if (token.kind == ')') {
                    Token rparen = lex();
                    if (token.isEol()) {
                        lex();
                        LineBlock empty = new LineBlock(start, tokens, new Paren(t.pos));
                        empty.rparen = new Paren(rparen.pos);
                        file.statements.add(empty);
                        return;
                    }
                    tokens.add(t.text);
                    tokens.add(rparen.text);
                } else {
                    tokens.add(t.text);
                }
            } else {
                tokens.add(t.text);
                end = t.endPos;
            }
        }
    }

    private LineBlock parseLineBlock(Pos start, List<String> tokens, Token lparen) throws SyntaxError {
        LineBlock block = new LineBlock(start, tokens, new Paren(lparen.pos));
        List<Comment> comments = new ArrayList<>();
        while (true) {
            switch (token.kind) {
                case EOL_COMMENT -> lex();
                case '\n' -> {
                    lex();
                    // A blank line is kept as an empty comment, as x/mod does.
                    boolean afterLine = comments.isEmpty() && !block.lines.isEmpty();
                    boolean afterComment = !comments.isEmpty()
                            && !comments.get(comments.size() - 1).token().isEmpty();
                    if (afterLine || afterComment) {
                        comments.add(new Comment(token.pos, "", false));
                    }
                }
                case COMMENT -> {
                    Token t = lex();
                    comments.add(new Comment(t.pos, t.text, false));
                }
                case EOF -> throw error("syntax error (unterminated block started at "
                        + filename + ":" + start.line() + ":" + start.lineRune() + ")");
                case ')' -> {
                    Token rparen = lex();
                    block.rparen = new Paren(rparen.pos);
                    block.rparen.comments.before = comments;
                    if (!token.isEol()) {
                        throw error("syntax error (expected newline after closing paren)");
                    }
                    lex();
                    return block;
                }
                default -> {
                    Line l = parseLine();
                    block.lines.add(l);
                    l.comments.before = comments;
                    comments = new ArrayList<>();
                }
            }
        }
    }

    private Line parseLine() throws SyntaxError {
        Token first = lex();
        Pos start = first.pos;
        Pos end = first.endPos;
        List<String> tokens = new ArrayList<>(List.of(first.text));
        while (true) {
            Token t = lex();
            if (t.isEol()) {
                return new Line(start, tokens, end);
            }
            tokens.add(t.text);
            end = t.endPos;
        }
    }

    // ---- comment assignment ----

    /** Gives each suffix comment to the last single-line node ending before it. */
    private void assignSuffixComments() {
        List<Node> post = new ArrayList<>();
        for (Node stmt : file.statements) {
            if (stmt instanceof LineBlock b) {
                post.add(b.lparen);
                post.addAll(b.lines);
                post.add(b.rparen);
            }
            post.add(stmt);
        }
        List<Comment> suffix = new ArrayList<>(suffixComments);
        for (int i = post.size() - 1; i >= 0; i--) {
            Node x = post.get(i);
            if (x.start().line() != x.end().line()) {
                continue;
            }
            while (!suffix.isEmpty()
                    && x.end().offset() <= suffix.get(suffix.size() - 1).start().offset()) {
                x.comments.suffix.add(suffix.remove(suffix.size() - 1));
            }
        }
        for (Node x : post) {
            Collections.reverse(x.comments.suffix);
        }
        file.comments.before.addAll(suffix);
    }
}
