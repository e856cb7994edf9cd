package dev.modproxy.gomod.module;

import dev.modproxy.gomod.text.GoQuote;
import dev.modproxy.gomod.text.GoUtf8;
import java.util.List;

/**
 * The element-by-element rules shared by module, import and file paths; {@link ModulePaths}
 * documents them and adds the module-only rules. Each check returns the reason a path is bad, in
 * x/mod's words, or {@code null} when it is fine, so callers can wrap the reason in their own
 * message.
 */
final class PathRules {

    /** The three sets of rules, from strictest to most lenient character set. */
    enum Kind {
        MODULE, IMPORT, FILE
    }

    /** Reserved device names on Windows; an element whose part before the first dot is one is bad. */
    private static final List<String> BAD_WINDOWS_NAMES = List.of(
            "CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    /** File names may use these ASCII punctuation characters besides letters and digits. */
    private static final String FILE_PUNCTUATION = "!#$%&()+,-.=@[]^_{}~ ";

    private PathRules() {
    }

    /** Why {@code path} is not a valid path of this kind, or {@code null}. */
    static String checkPath(String path, Kind kind) {
        if (!GoUtf8.isValid(path)) {
            return "invalid UTF-8";
        }
        if (path.isEmpty()) {
            return "empty string";
        }
        if (path.charAt(0) == '-' && kind != Kind.FILE) {
            return "leading dash";
        }
        if (path.contains("//")) {
            return "double slash";
        }
        if (path.endsWith("/")) {
            return "trailing slash";
        }
        int start = 0;
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', start)) {
            String err = checkElem(path.substring(start, slash), kind);
            if (err != null) {
                return err;
            }
            start = slash + 1;
        }
        return checkElem(path.substring(start), kind);
    }

    /** Why {@code elem} is not a valid path element of this kind, or {@code null}. */
    static String checkElem(String elem, Kind kind) {
        if (elem.isEmpty()) {
            return "empty path element";
        }
        if (elem.chars().allMatch(c -> c == '.')) {
            return "invalid path element " + GoQuote.quote(elem);
        }
        if (elem.charAt(0) == '.' && kind == Kind.MODULE) {
            return "leading dot in path element";
        }
        if (elem.endsWith(".")) {
            return "trailing dot in path element";
        }
        for (int i = 0; i < elem.length(); ) {
            int c = elem.codePointAt(i);
            if (!allowed(c, kind)) {
                return "invalid char " + GoQuote.quoteRune(c);
            }
            i += Character.charCount(c);
        }
        int dot = elem.indexOf('.');
        String shortName = dot >= 0 ? elem.substring(0, dot) : elem;
        for (String bad : BAD_WINDOWS_NAMES) {
            if (bad.equalsIgnoreCase(shortName)) {
                return GoQuote.quote(shortName) + " disallowed as path element component on Windows";
            }
        }
        // Windows short names (PROGRA~1) only matter for import paths, which become directories.
        if (kind != Kind.FILE) {
            int tilde = shortName.lastIndexOf('~');
            if (tilde >= 0 && tilde < shortName.length() - 1
                    && shortName.substring(tilde + 1).chars().allMatch(c -> '0' <= c && c <= '9')) {
                return "trailing tilde and digits in path element";
            }
        }
        return null;
    }

    /** Whether code point {@code c} may appear in a path element of this kind. */
    static boolean allowed(int c, Kind kind) {
        boolean alnum = '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z';
        return switch (kind) {
            case MODULE -> alnum || c == '-' || c == '.' || c == '_' || c == '~';
            case IMPORT -> alnum || c == '-' || c == '.' || c == '_' || c == '~' || c == '+';
            case FILE -> c < 0x80 ? alnum || FILE_PUNCTUATION.indexOf(c) >= 0 : Character.isLetter(c);
        };
    }

    /** Whether {@code c} may appear in the first element of a module path: lower-case LDH. */
    static boolean firstElementAllowed(int c) {
        return c == '-' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z';
    }
}
