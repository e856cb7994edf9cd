package dev.modproxy.gomod.zip;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.GoModException.Kind;
import dev.modproxy.gomod.module.ModulePaths;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.text.GoQuote;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Module zip files: creating them from a file tree, checking them, and extracting them, with
 * the rules of golang.org/x/mod/zip so that the {@code go} command accepts what we serve.
 *
 * <p>The format:
 * <ul>
 *   <li>Every entry is named {@code <module>@<version>/<file path>}. The module path must be
 *       valid, the version canonical (only {@code +incompatible} may remain as build suffix) and
 *       its major version must agree with the path's suffix. File paths pass the module
 *       file-path rules.
 *   <li>No two names may be equal under Unicode case folding; no name may be both a file and a
 *       directory; no file may appear twice. Directory entries carry no meaning and are not
 *       written.
 *   <li>go.mod may appear only at the root and only in lowercase; files in subdirectories
 *       holding a go.mod (in any case) belong to another module and are left out of a zip
 *       created from a tree. Files in vendored packages (see
 *       {@link FileListCheck#isVendoredPackage}), symbolic links, irregular files and a root
 *       {@code .hg_archival.txt} are left out too; creating from a directory also leaves out
 *       {@code .bzr .git .hg .svn} directories.
 *   <li>The zip file, and the sum of its uncompressed sizes, are each at most
 *       {@link #MAX_ZIP_FILE} bytes; the root go.mod at most {@link #MAX_GO_MOD}, the root
 *       LICENSE at most {@link #MAX_LICENSE}. A file may not hold more bytes than declared.
 *   <li>Permissions and timestamps are ignored; entries are deflated. The bytes need not match
 *       Go's writer: the h1 hash covers only names and contents.
 * </ul>
 * Errors carry x/mod's wording, wrapped as x/mod does ({@code create zip: ...},
 * {@code create zip <dir>: ...}, {@code unzip <zip>: ...}). All I/O streams; no zip or file
 * is held in memory.
 */
public final class ModuleZip {

    /** Largest zip file, and largest total uncompressed content, in bytes (500 MiB). */
    public static final long MAX_ZIP_FILE = 500L << 20;
    /** Largest go.mod in a module zip, in bytes (16 MiB). */
    public static final long MAX_GO_MOD = 16L << 20;
    /** Largest LICENSE in a module zip, in bytes (16 MiB). */
    public static final long MAX_LICENSE = 16L << 20;

    /** A fixed entry time, so that equal trees give equal zips. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private ModuleZip() {
    }

    /** Which of {@code files} a zip would hold, leave out, or reject (x/mod's CheckFiles). */
    public static CheckedFiles checkFiles(List<? extends ModuleFile> files) {
        return FileListCheck.run(files).report();
    }

    /**
     * CheckFiles for a directory listed as {@link #createFromDir} lists it; paths in the result
     * are file system paths, and omitted directories appear once, without their files.
     */
    public static CheckedFiles checkDir(Path dir) throws GoModException {
        DirLister listing = DirLister.list(dir);
        CheckedFiles cf = checkFiles(listing.files());
        String base = dir.toString();
        List<FileError> omitted = new ArrayList<>(cf.omitted());
        omitted.addAll(listing.omitted());
        return new CheckedFiles(
                cf.valid().stream().map(p -> join(base, p)).toList(),
                omitted.stream().map(e -> new FileError(join(base, e.path()), e.reason())).toList(),
                cf.invalid().stream().map(e -> new FileError(join(base, e.path()), e.reason())).toList(),
                cf.sizeError());
    }

    /**
     * Which entries of a module zip are valid (x/mod's CheckZip). Throws if the module path or
     * version is bad or the file is not a readable zip; a zip over the size limit yields a
     * result with only the size error.
     */
    public static CheckedFiles checkZip(ModuleVersion m, Path zipFile) throws GoModException {
        checkModule(m);
        long size = sizeOf(zipFile);
        if (size > MAX_ZIP_FILE) {
            return tooLargeZip(size);
        }
        try (ZipFile zip = openZip(zipFile)) {
            return ZipCheck.check(prefix(m), zip);
        } catch (IOException e) {
            throw io(e);
        }
    }

    /** Writes the module zip of {@code files} to {@code out}, which is left open. */
    public static void create(OutputStream out, ModuleVersion m, List<? extends ModuleFile> files)
            throws GoModException {
        try {
            createUnwrapped(out, m, files);
        } catch (GoModException e) {
            throw wrap("create zip: ", e);
        }
    }

    /**
     * Writes the module zip of the tree at {@code dir} to {@code out}, which is left open. Like
     * {@link #create}, and also leaves out version-control directories.
     */
    public static void createFromDir(OutputStream out, ModuleVersion m, Path dir) throws GoModException {
        DirLister listing;
        try {
            listing = DirLister.list(dir);
        } catch (GoModException e) {
            throw wrap("create zip from directory " + dir + ": ", e);
        }
        try {
            createUnwrapped(out, m, listing.files());
        } catch (GoModException e) {
            throw wrap("create zip " + dir + ": ", e);
        }
    }

    /**
     * Extracts a module zip into {@code dir}, which may be missing but must otherwise be empty.
     * The zip is fully checked before anything is written. Files are made read-only.
     */
    public static void unzip(Path zipFile, ModuleVersion m, Path dir) throws GoModException {
        try {
            ZipExtractor.extract(zipFile, m, dir);
        } catch (GoModException e) {
            throw wrap("unzip " + zipFile + ": ", e);
        }
    }

    /** {@code <path>@<version>/}, the prefix of every entry name. */
    public static String prefix(ModuleVersion m) {
        return m.path().value() + "@" + m.version() + "/";
    }

    private static void createUnwrapped(OutputStream out, ModuleVersion m, List<? extends ModuleFile> files)
            throws GoModException {
        checkModule(m);
        FileListCheck check = FileListCheck.run(files);
        check.report().throwIfInvalid();
        String prefix = prefix(m);
        try (ZipOutputStream zip = new ZipOutputStream(new KeepOpen(out), StandardCharsets.UTF_8)) {
            byte[] buf = new byte[64 * 1024];
            for (ModuleFile f : check.validFiles()) {
                ZipEntry entry = new ZipEntry(prefix + f.path());
                entry.setMethod(ZipEntry.DEFLATED);
                entry.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(entry);
                long limit = f.size();
                long written = 0;
                try (InputStream in = f.open()) {
                    // Read one byte past the declared size to notice content that outgrew it.
                    for (int n; written <= limit
                            && (n = in.read(buf, 0, (int) Math.min(buf.length, limit + 1 - written))) > 0; ) {
                        zip.write(buf, 0, n);
                        written += n;
                    }
                }
                if (written > limit) {
                    throw new GoModException(Kind.INVALID_ZIP,
                            "file " + GoQuote.quote(f.path()) + " is larger than declared size");
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw io(e);
        }
    }

    /**
     * The module check every operation on a zip starts with. A ModuleVersion has already passed
     * the path and major-version checks; zips further need the canonical version.
     */
    static void checkModule(ModuleVersion m) throws GoModException {
        if (!m.isCanonical()) {
            throw new GoModException(Kind.INVALID_VERSION, "version " + GoQuote.quote(m.version())
                    + " is not canonical (should be " + GoQuote.quote(ModulePaths.canonicalVersion(m.version())) + ")");
        }
    }

    static CheckedFiles tooLargeZip(long size) {
        return new CheckedFiles(List.of(), List.of(), List.of(), Optional.of(
                "module zip file is too large (" + size + " bytes; limit is " + MAX_ZIP_FILE + " bytes)"));
    }

    static long sizeOf(Path zipFile) throws GoModException {
        try {
            return Files.size(zipFile);
        } catch (IOException e) {
            throw io(e);
        }
    }

    /** Opens a zip, reporting a malformed one in archive/zip's words. */
    static ZipFile openZip(Path zipFile) throws GoModException {
        try {
            return new ZipFile(zipFile.toFile(), StandardCharsets.UTF_8);
        } catch (ZipException e) {
            throw new GoModException(Kind.INVALID_ZIP, "zip: not a valid zip file", e);
        } catch (IOException e) {
            throw io(e);
        }
    }

    static GoModException io(IOException e) {
        if (e instanceof ZipException) {
            return new GoModException(Kind.INVALID_ZIP, e.getMessage(), e);
        }
        return new GoModException(Kind.IO, String.valueOf(e.getMessage()), e);
    }

    private static String join(String dir, String slashPath) {
        return SlashPath.clean(dir + "/" + slashPath);
    }

    private static GoModException wrap(String context, GoModException e) {
        return new GoModException(e.kind(), context + e.getMessage(), e);
    }

    /** Lets the zip writer finish its central directory without closing the caller's stream. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
