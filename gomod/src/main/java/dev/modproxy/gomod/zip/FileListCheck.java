package dev.modproxy.gomod.zip;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModulePaths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Sorts a module's file list into valid, omitted and invalid files (x/mod's checkFiles).
 *
 * <p>Rules, applied to each file in order; the first that matches decides, and a path already
 * reported is not reported again:
 * <ol>
 *   <li>Directories that hold a regular file whose name folds to {@code go.mod} (any case, at
 *       any depth below the root) are nested modules.
 *   <li>A path that is not clean is invalid; an absolute path is invalid.
 *   <li>A file in a vendored package is omitted ({@link #isVendoredPackage}).
 *   <li>A file inside a nested module is omitted.
 *   <li>{@code .hg_archival.txt} at the root is omitted (hg archive inserts it).
 *   <li>A path failing the module file-path rules is invalid.
 *   <li>A root {@code go.mod} in any case other than lowercase is invalid.
 *   <li>A path colliding with an earlier one ({@link CollisionChecker}) is invalid.
 *   <li>Symbolic links and other irregular files are omitted.
 *   <li>Every remaining size counts against the 500 MiB total; once it is exceeded the size
 *       error is set (once), but files are still listed.
 *   <li>A root {@code go.mod} or {@code LICENSE} over 16 MiB is invalid.
 *   <li>Anything else is valid.
 * </ol>
 */
final class FileListCheck {

    private final List<String> valid = new ArrayList<>();
    private final List<ModuleFile> validFiles = new ArrayList<>();
    private final List<FileError> omitted = new ArrayList<>();
    private final List<FileError> invalid = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();
    private String sizeError;

    private FileListCheck() {
    }

    /** Checks {@code files} and returns the report together with the valid files themselves. */
    static FileListCheck run(List<? extends ModuleFile> files) {
        FileListCheck c = new FileListCheck();
        c.check(files);
        return c;
    }

    CheckedFiles report() {
        return new CheckedFiles(valid, omitted, invalid, java.util.Optional.ofNullable(sizeError));
    }

    /** The valid files, in the order of {@code report().valid()}. */
    List<ModuleFile> validFiles() {
        return validFiles;
    }

    private void check(List<? extends ModuleFile> files) {
        Set<String> moduleDirs = new HashSet<>();
        for (ModuleFile f : files) {
            String p = f.path();
            if (CaseFold.equalFold(SlashPath.splitBase(p), "go.mod") && f.type() == ModuleFile.Type.REGULAR) {
                moduleDirs.add(SlashPath.splitDir(p));
            }
        }
        CollisionChecker collisions = new CollisionChecker();
        long remaining = ModuleZip.MAX_ZIP_FILE;
        for (ModuleFile f : files) {
            String p = f.path();
            if (!p.equals(SlashPath.clean(p))) {
                add(p, false, "file path is not clean");
                continue;
            }
            if (p.startsWith("/")) {
                add(p, false, "file path is not relative");
                continue;
            }
            if (isVendoredPackage(p)) {
                add(p, true, "file is in vendor directory");
                continue;
            }
            if (inNestedModule(p, moduleDirs)) {
                add(p, true, "file is in another module");
                continue;
            }
            if (p.equals(".hg_archival.txt")) {
                add(p, true, "file is inserted by 'hg archive' and is always omitted");
                continue;
            }
            try {
                ModulePaths.checkFilePath(p);
            } catch (GoModException e) {
                add(p, false, e.getMessage());
                continue;
            }
            if (p.toLowerCase(Locale.ROOT).equals("go.mod") && !p.equals("go.mod")) {
                add(p, false, "go.mod files must have lowercase names");
                continue;
            }
            String collision = collisions.check(p, f.type() == ModuleFile.Type.DIRECTORY);
            if (collision != null) {
                add(p, false, collision);
                continue;
            }
            if (f.type() == ModuleFile.Type.SYMLINK) {
                add(p, true, "file is a symbolic link");
                continue;
            }
            if (f.type() != ModuleFile.Type.REGULAR) {
                add(p, true, "not a regular file");
                continue;
            }
            long size = f.size();
            if (size >= 0 && size <= remaining) {
                remaining -= size;
            } else if (sizeError == null) {
                sizeError = "module source tree too large (max size is " + ModuleZip.MAX_ZIP_FILE + " bytes)";
            }
            if (p.equals("go.mod") && size > ModuleZip.MAX_GO_MOD) {
                add(p, false, "go.mod file too large (max size is " + ModuleZip.MAX_GO_MOD + " bytes)");
                continue;
            }
            if (p.equals("LICENSE") && size > ModuleZip.MAX_LICENSE) {
                add(p, false, "LICENSE file too large (max size is " + ModuleZip.MAX_LICENSE + " bytes)");
                continue;
            }
            valid.add(p);
            validFiles.add(f);
        }
    }

    private void add(String path, boolean isOmitted, String reason) {
        if (reported.add(path)) {
            (isOmitted ? omitted : invalid).add(new FileError(path, reason));
        }
    }

    private static boolean inNestedModule(String p, Set<String> moduleDirs) {
        for (String dir = SlashPath.splitDir(p); !dir.isEmpty(); ) {
            if (moduleDirs.contains(dir)) {
                return true;
            }
            dir = SlashPath.splitDir(dir.substring(0, dir.length() - 1));
        }
        return false;
    }

    /**
     * Whether a file lies in a vendored package: below {@code vendor/} at the root, or below
     * some {@code /vendor/}, with a further slash after it.
     *
     * <p>x/mod measures "after it" from offset {@code len("/vendor/")} of the whole name rather
     * than from the end of the match, so any file under a non-root {@code .../vendor/} directory
     * also counts (golang.org/issue/31562, 37397). Fixing that would change existing module
     * hashes, so the quirk is kept on purpose.
     */
    static boolean isVendoredPackage(String name) {
        int i;
        if (name.startsWith("vendor/")) {
            i = "vendor/".length();
        } else if (name.contains("/vendor/")) {
            i = "/vendor/".length();
        } else {
            return false;
        }
        // The offset is in bytes of the UTF-8 name, as in x/mod.
        byte[] utf8 = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int k = i; k < utf8.length; k++) {
            if (utf8[k] == '/') {
                return true;
            }
        }
        return false;
    }
}
