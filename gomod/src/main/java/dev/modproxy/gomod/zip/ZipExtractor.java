package dev.modproxy.gomod.zip;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.GoModException.Kind;
import dev.modproxy.gomod.module.ModuleVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Extracts a module zip (x/mod's Unzip). The target directory must be missing or empty; the
 * whole zip is checked ({@link ZipCheck}) before the directory is created; then each file
 * entry is written below it, never over an existing file, with at most its declared size
 * (an entry that yields more fails the extraction), and made read-only as in the module cache.
 */
final class ZipExtractor {

    private ZipExtractor() {
    }

    static void extract(Path zipFile, ModuleVersion m, Path dir) throws GoModException {
        if (isNonEmptyDirectory(dir)) {
            throw new GoModException(Kind.IO, "target directory " + dir + " exists and is not empty");
        }
        ModuleZip.checkModule(m);
        long size = ModuleZip.sizeOf(zipFile);
        if (size > ModuleZip.MAX_ZIP_FILE) {
            ModuleZip.tooLargeZip(size).throwIfInvalid();
        }
        String prefix = ModuleZip.prefix(m);
        try (ZipFile zip = ModuleZip.openZip(zipFile)) {
            ZipCheck.check(prefix, zip).throwIfInvalid();
            Files.createDirectories(dir);
            byte[] buf = new byte[64 * 1024];
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName().substring(prefix.length());
                if (name.isEmpty() || name.endsWith("/")) {
                    continue;
                }
                Path dst = dir.resolve(name);
                Files.createDirectories(dst.getParent());
                long written = 0;
                try (OutputStream out = Files.newOutputStream(dst, StandardOpenOption.CREATE_NEW);
                     InputStream in = ZipEntries.open(zip, entry)) {
                    for (int n; written <= entry.getSize() && (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        written += n;
                    }
                }
                if (written > entry.getSize()) {
                    throw new GoModException(Kind.INVALID_ZIP, "uncompressed size of file " + entry.getName()
                            + " is larger than declared size (" + entry.getSize() + " bytes)");
                }
                makeReadOnly(dst);
            }
        } catch (IOException e) {
            throw ModuleZip.io(e);
        }
    }

    private static boolean isNonEmptyDirectory(Path dir) throws GoModException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw ModuleZip.io(e);
        }
    }

    private static void makeReadOnly(Path file) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            posix.setPermissions(PosixFilePermissions.fromString("r--r--r--"));
        } else {
            file.toFile().setReadOnly();
        }
    }
}
