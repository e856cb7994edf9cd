package dev.modproxy.gomod.modfile;

import java.util.ArrayList;
import java.util.List;

/**
 * The syntax tree of a go.mod file as x/mod's parser builds it: statements that are single
 * lines, parenthesized blocks of lines, or free-standing comment blocks, each carrying the
 * comments that were attached to it. Internal to the reader; mutable only while reading.
 */
final class Syntax {

    private Syntax() {
    }

    /**
     * A position in the file: line (from 1), rune within the line (from 1) and an offset that
     * only serves to order positions.
     */
    record Pos(int line, int lineRune, int offset) {

        /** The position at the end of {@code s} if s starts here. */
        Pos add(String s) {
            int nl = s.lastIndexOf('\n');
            int newLines = (int) s.chars().filter(c -> c == '\n').count();
            String tail = nl < 0 ? s : s.substring(nl + 1);
            int col = (nl < 0 ? lineRune : 1) + tail.codePointCount(0, tail.length());
            return new Pos(line + newLines, col, offset + s.length());
        }
    }

    /** One {@code //} comment; its token excludes the line end. */
    record Comment(Pos start, String token, boolean suffix) {
    }

    /** Comments attached to a syntax node. */
    static final class Comments {
        List<Comment> before = new ArrayList<>();
        final List<Comment> suffix = new ArrayList<>();
    }

    /** A node of the tree, spanning start..end (comments excluded). */
    abstract static class Node {
        final Comments comments = new Comments();

        abstract Pos start();

        abstract Pos end();
    }

    /** Whole-line comments standing apart from any statement. */
    static final class CommentBlock extends Node {
        final Pos startPos;

        CommentBlock(Pos start) {
            this.startPos = start;
        }

        Pos start() {
            return startPos;
        }

        Pos end() {
            return startPos;
        }
    }

    /** A single line of tokens, top-level or inside a block. */
    static final class Line extends Node {
        final Pos startPos;
        final List<String> tokens;
        final Pos endPos;

        Line(Pos start, List<String> tokens, Pos end) {
            this.startPos = start;
            this.tokens = tokens;
            this.endPos = end;
        }

        Pos start() {
            return startPos;
        }

        Pos end() {
            return endPos;
        }
    }

    /** A parenthesis of a block; a place for comments. */
    static final class Paren extends Node {
        final Pos pos;

        Paren(Pos pos) {
            this.pos = pos;
        }

        Pos start() {
            return pos;
        }

        Pos end() {
            return pos.add(")");
        }
    }

    /** A factored block {@code verb ( lines )}. */
    static final class LineBlock extends Node {
        final Pos startPos;
        final List<String> tokens;
        final Paren lparen;
        final List<Line> lines = new ArrayList<>();
        Paren rparen;

        LineBlock(Pos start, List<String> tokens, Paren lparen) {
            this.startPos = start;
            this.tokens = tokens;
            this.lparen = lparen;
        }

        Pos start() {
            return startPos;
        }

        Pos end() {
            return rparen.pos.add(")");
        }
    }

    /** The whole file. */
    static final class File extends Node {
        final List<Node> statements = new ArrayList<>();

        Pos start() {
            return statements.isEmpty() ? new Pos(0, 0, 0) : statements.get(0).start();
        }

        Pos end() {
            return statements.isEmpty() ? new Pos(0, 0, 0) : statements.get(statements.size() - 1).end();
        }
    }
}
