package dev.modproxy.gomod.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.module.ModuleVersion;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * x/mod's TestCreateFromDirSpecial (trees a txtar cannot express) and the file kinds only a
 * ModuleFile list can carry.
 */
class ModuleZipSpecialTest {

    private static final String EMPTY_HASH = "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    @TempDir
    Path tmp;

    @Test
    void emptyDirectoryIsIgnored() throws Exception {
        Files.createDirectory(tmp.resolve("tree"));
        Files.createDirectory(tmp.resolve("tree/empty"));
        assertEquals(EMPTY_HASH, zipHash(tmp.resolve("tree")));
    }

    @Test
    void symlinkIsIgnored() throws Exception {
        Path tree = Files.createDirectory(tmp.resolve("tree"));
        Files.createSymbolicLink(tree.resolve("link"), tree);
        assertEquals(EMPTY_HASH, zipHash(tree));
    }

    @Test
    void moduleRootMayBeNamedVendor() throws Exception {
        Path vendor = Files.createDirectory(tmp.resolve("vendor"));
        Files.writeString(vendor.resolve("go.mod"), "module example.com/m\n\ngo 1.13\n");
        assertEquals("h1:XduFAgX/GaspZa8Jv4pfzoGEzNaU/r88PiCunijw5ok=", zipHash(vendor));
    }

    @Test
    void symlinksAndIrregularFilesInAListAreOmitted() throws Exception {
        CheckedFiles cf = ModuleZip.checkFiles(List.of(
                entry("a.go", ModuleFile.Type.REGULAR), entry("link", ModuleFile.Type.SYMLINK),
                entry("fifo", ModuleFile.Type.OTHER)));
        assertEquals(List.of("a.go"), cf.valid());
        assertEquals(List.of(new FileError("link", "file is a symbolic link"),
                new FileError("fifo", "not a regular file")), cf.omitted());
    }

    @Test
    void absolutePathIsInvalid() {
        CheckedFiles cf = ModuleZip.checkFiles(List.of(entry("/abs.go", ModuleFile.Type.REGULAR)));
        assertEquals(List.of(new FileError("/abs.go", "file path is not relative")), cf.invalid());
    }

    @Test
    void unzipRefusesNonEmptyTarget() throws Exception {
        Path zip = tmp.resolve("m.zip");
        new RawZip().add("example.com/m@v1.0.0/go.mod", "module example.com/m\n".getBytes()).writeTo(zip);
        Path out = Files.createDirectory(tmp.resolve("out"));
        Files.writeString(out.resolve("x"), "x");
        GoModException e = assertThrows(GoModException.class,
                () -> ModuleZip.unzip(zip, ModuleVersion.of("example.com/m", "v1.0.0"), out));
        assertEquals("unzip " + zip + ": target directory " + out + " exists and is not empty", e.getMessage());
    }

    private Path zipOf(Path dir) throws Exception {
        Path zip = tmp.resolve("out.zip");
        try (OutputStream out = Files.newOutputStream(zip)) {
            ModuleZip.createFromDir(out, ModuleVersion.of("example.com/m", "v1.0.0"), dir);
        }
        return zip;
    }

    private String zipHash(Path dir) throws Exception {
        return DirHash.hashZip(zipOf(dir));
    }

    private static ModuleFile entry(String path, ModuleFile.Type type) {
        return new ModuleFile() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public Type type() {
                return type;
            }

            @Override
            public long size() {
                return 0;
            }

            @Override
            public java.io.InputStream open() {
                return java.io.InputStream.nullInputStream();
            }
        };
    }
}
