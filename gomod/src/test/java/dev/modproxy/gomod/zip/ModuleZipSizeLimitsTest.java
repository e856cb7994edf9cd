package dev.modproxy.gomod.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.testdata.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * x/mod's size-limit tests (TestCreateSizeLimits, TestUnzipSizeLimits,
 * TestUnzipSizeLimitsSpecial). Files of up to 500 MiB are streamed as zeros, never held in
 * memory, so these double as a check that creating, checking and extracting stream.
 */
class ModuleZipSizeLimitsTest {

    private static final String MODULE = "example.com/large";

    @TempDir
    Path tmp;

    /** A regular file that declares {@code size} and holds {@code data}, or that many zeros. */
    record FakeFile(String path, long size, byte[] data) implements ModuleFile {
        @Override
        public Type type() {
            return Type.REGULAR;
        }

        @Override
        public InputStream open() {
            return data != null ? new java.io.ByteArrayInputStream(data) : new Zeros(size);
        }
    }

    static Stream<Arguments> cases() {
        return TestData.rows("dev/modproxy/gomod/zip/size_limits.tsv").stream()
                .map(r -> Arguments.of(r[0], files(r[1]), r[2], r[3], r[4], r[5]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void createAndCheckFiles(String desc, List<ModuleFile> files, String checkFilesErr, String createErr,
                             String checkZipErr, String unzipErr) throws Exception {
        expect(checkFilesErr, ModuleZip.checkFiles(files).error());
        expect(createErr, attempt(() -> ModuleZip.create(OutputStream.nullOutputStream(), module(), files)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void checkZipAndUnzip(String desc, List<ModuleFile> files, String checkFilesErr, String createErr,
                          String checkZipErr, String unzipErr) throws Exception {
        Path zip = tmp.resolve("large.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (ModuleFile f : files) {
                z.putNextEntry(new ZipEntry(ModuleZip.prefix(module()) + f.path()));
                try (InputStream in = f.open()) {
                    in.transferTo(z);
                }
            }
        }
        CheckedFiles cf = ModuleZip.checkZip(module(), zip);
        expect(checkZipErr, cf.error());
        expect(unzipErr, attempt(() -> ModuleZip.unzip(zip, module(), tmp.resolve("out"))));
    }

    @Test
    void negativeSizeIsTooLarge() throws Exception {
        List<ModuleFile> files = List.of(new FakeFile("neg.go", Long.MIN_VALUE, new byte[0]));
        expect("module source tree too large", ModuleZip.checkFiles(files).error());
        expect("module source tree too large",
                attempt(() -> ModuleZip.create(OutputStream.nullOutputStream(), module(), files)));
    }

    @Test
    void contentLargerThanDeclaredFailsCreate() throws Exception {
        List<ModuleFile> files = List.of(new FakeFile("lie.go", 1, "package large".getBytes(StandardCharsets.UTF_8)));
        expect("-", ModuleZip.checkFiles(files).error());
        expect("larger than declared size",
                attempt(() -> ModuleZip.create(OutputStream.nullOutputStream(), module(), files)));
    }

    @Test
    void zipOfExactlyTheLimitIsOpened() throws Exception {
        Path zip = sparse(ModuleZip.MAX_ZIP_FILE);
        expect("not a valid zip file", attempt(() -> ModuleZip.unzip(zip, module(), tmp.resolve("out"))));
    }

    @Test
    void zipOverTheLimitIsRejectedUnopened() throws Exception {
        Path zip = sparse(ModuleZip.MAX_ZIP_FILE + 1);
        expect("module zip file is too large", attempt(() -> ModuleZip.unzip(zip, module(), tmp.resolve("out"))));
        CheckedFiles cf = ModuleZip.checkZip(module(), zip);
        assertEquals(Optional.of("module zip file is too large (524288001 bytes; limit is 524288000 bytes)"),
                cf.sizeError());
    }

    /** The entry declares 0xAC bytes but inflates to 0xBAD; x/mod accepts either message. */
    @Test
    void entryLargerThanDeclaredFailsUnzip() throws Exception {
        Path zip = tmp.resolve("lie.zip");
        new RawZip().add("example.com/m@v1.0.0/go.mod", new byte[0x0BAD], 0xAC).writeTo(zip);
        Optional<GoModException> e = attempt(() -> ModuleZip.unzip(zip, ModuleVersion.of("example.com/m", "v1.0.0"),
                tmp.resolve("out")));
        assertTrue(e.isPresent());
        String msg = e.get().getMessage();
        assertTrue(msg.contains("uncompressed size of file example.com/m@v1.0.0/go.mod is larger than declared size")
                || msg.contains("not a valid zip file"), msg);
    }

    private Path sparse(long size) throws IOException {
        Path zip = tmp.resolve("sparse.zip");
        try (RandomAccessFile f = new RandomAccessFile(zip.toFile(), "rw")) {
            f.setLength(size);
        }
        return zip;
    }

    private static ModuleVersion module() throws GoModException {
        return ModuleVersion.of(MODULE, "v1.0.0");
    }

    interface Action {
        void run() throws GoModException;
    }

    private static Optional<GoModException> attempt(Action a) {
        try {
            a.run();
            return Optional.empty();
        } catch (GoModException e) {
            return Optional.of(e);
        }
    }

    private static void expect(String fragment, Optional<GoModException> error) {
        if (fragment.equals("-")) {
            assertEquals(Optional.empty(), error.map(Throwable::getMessage));
        } else {
            assertTrue(error.isPresent(), "unexpected success; want error containing " + fragment);
            assertTrue(error.get().getMessage().contains(fragment), error.get().getMessage());
        }
    }

    private static List<ModuleFile> files(String spec) {
        List<ModuleFile> files = new ArrayList<>();
        for (String f : spec.split("\\|")) {
            int colon = f.lastIndexOf(':');
            files.add(new FakeFile(f.substring(0, colon), Long.parseLong(f.substring(colon + 1)), null));
        }
        return files;
    }

    /** {@code n} zero bytes, produced on demand. */
    static final class Zeros extends InputStream {
        private long left;

        Zeros(long n) {
            left = n;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
