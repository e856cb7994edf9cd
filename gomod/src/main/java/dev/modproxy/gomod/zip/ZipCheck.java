package dev.modproxy.gomod.zip;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModulePaths;
import dev.modproxy.gomod.text.GoQuote;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Sorts the entries of a module zip into valid and invalid (x/mod's checkZip). Nothing is
 * omitted from a zip: a zip that carries what a tree would omit is simply invalid.
 *
 * <p>Rules, per entry in central-directory order; the first that matches decides:
 * <ol>
 *   <li>The name must start with {@code <path>@<version>/}; the bare prefix is skipped.
 *   <li>A trailing slash marks a directory entry; it is checked like a file, then skipped.
 *   <li>The rest must be clean and pass the module file-path rules.
 *   <li>No collisions ({@link CollisionChecker}).
 *   <li>A file whose name folds to {@code go.mod} must be at the root ("go.mod file not in module
 *       root directory") and spelled in lowercase.
 *   <li>Declared uncompressed sizes add up to at most 500 MiB (else the size error is set once);
 *       the root go.mod and LICENSE may be at most 16 MiB each.
 * </ol>
 * Sizes are the declared ones; readers enforce them ({@link ZipEntries}).
 */
final class ZipCheck {

    private ZipCheck() {
    }

    static CheckedFiles check(String prefix, ZipFile zip) {
        List<String> valid = new ArrayList<>();
        List<FileError> invalid = new ArrayList<>();
        CollisionChecker collisions = new CollisionChecker();
        String sizeError = null;
        long total = 0;
        for (ZipEntry entry : Collections.list(zip.entries())) {
            String zipName = entry.getName();
            String problem = null;
            if (!zipName.startsWith(prefix)) {
                invalid.add(new FileError(zipName, "path does not have prefix " + GoQuote.quote(prefix)));
                continue;
            }
            String name = zipName.substring(prefix.length());
            if (name.isEmpty()) {
                continue;
            }
            boolean isDir = name.endsWith("/");
            if (isDir) {
                name = name.substring(0, name.length() - 1);
            }
            if (!SlashPath.clean(name).equals(name)) {
                problem = "file path is not clean";
            } else {
                problem = filePathProblem(name);
            }
            if (problem == null) {
                problem = collisions.check(name, isDir);
            }
            if (problem == null && isDir) {
                continue;
            }
            if (problem == null) {
                String base = SlashPath.splitBase(name);
                if (CaseFold.equalFold(base, "go.mod")) {
                    if (!base.equals(name)) {
                        problem = "go.mod file not in module root directory";
                    } else if (!name.equals("go.mod")) {
                        problem = "go.mod files must have lowercase names";
                    }
                }
            }
            if (problem == null) {
                long size = entry.getSize();
                if (size >= 0 && ModuleZip.MAX_ZIP_FILE - total >= size) {
                    total += size;
                } else if (sizeError == null) {
                    sizeError = "total uncompressed size of module contents too large (max size is "
                            + ModuleZip.MAX_ZIP_FILE + " bytes)";
                }
                if (name.equals("go.mod") && size > ModuleZip.MAX_GO_MOD) {
                    problem = "go.mod file too large (max size is " + ModuleZip.MAX_GO_MOD + " bytes)";
                } else if (name.equals("LICENSE") && size > ModuleZip.MAX_LICENSE) {
                    problem = "LICENSE file too large (max size is " + ModuleZip.MAX_LICENSE + " bytes)";
                }
            }
            if (problem != null) {
                invalid.add(new FileError(zipName, problem));
            } else {
                valid.add(zipName);
            }
        }
        return new CheckedFiles(valid, List.of(), invalid, Optional.ofNullable(sizeError));
    }

    private static String filePathProblem(String name) {
        try {
            ModulePaths.checkFilePath(name);
            return null;
        } catch (GoModException e) {
            return e.getMessage();
        }
    }
}
