package dev.modproxy.gomod.dirhash;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.GoModException.Kind;
import dev.modproxy.gomod.text.GoText;
import dev.modproxy.gomod.zip.ZipEntries;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The {@code h1:} hash that go.sum files and the checksum database record for a module.
 *
 * <p>Rules (golang.org/x/mod/sumdb/dirhash, Hash1):
 * <ul>
 *   <li>The input is a list of file names, each with its content. Names are sorted by their
 *       bytes (Go's {@code sort.Strings}, i.e. UTF-8 byte order, not Java's UTF-16 order).
 *   <li>For each file one summary line is formed: the lowercase hex SHA-256 of the content,
 *       two spaces, the name, and a newline. A name containing a newline is an error, since it
 *       would make the summary ambiguous.
 *   <li>The hash is {@code "h1:"} followed by the standard (padded) base64 of the SHA-256 of
 *       the concatenated summary lines, as if by {@code find . -type f | sort | sha256sum}.
 *   <li>For a module zip ({@code <mod> <ver> h1:} in go.sum) the names are the zip entry names,
 *       which all start with {@code <mod>@<ver>/}; every entry of the zip takes part.
 *   <li>For a go.mod ({@code <mod> <ver>/go.mod h1:}) the list is the single name
 *       {@code go.mod}.
 * </ul>
 * File contents are streamed through the digest, so hashing never holds a file in memory.
 */
public final class DirHash {

    /** Opens the content of one named file for hashing. */
    @FunctionalInterface
    public interface Opener {
        InputStream open(String name) throws IOException;
    }

    private static final String PREFIX = "h1:";

    private DirHash() {
    }

    /** The h1 hash of the given files, whose contents {@code opener} supplies. */
    public static String hash1(List<String> files, Opener opener) throws GoModException {
        List<String> sorted = new ArrayList<>(files);
        sorted.sort(GoText::compare);
        MessageDigest summary = sha256();
        for (String file : sorted) {
            if (file.indexOf('\n') >= 0) {
                throw new GoModException(Kind.INVALID_ZIP,
                        "dirhash: filenames with newlines are not supported");
            }
            MessageDigest content = sha256();
            try (InputStream in = opener.open(file)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    content.update(buf, 0, n);
                }
            } catch (IOException e) {
                Kind kind = e instanceof java.util.zip.ZipException ? Kind.INVALID_ZIP : Kind.IO;
                throw new GoModException(kind, file + ": " + e.getMessage(), e);
            }
            String line = HexFormat.of().formatHex(content.digest()) + "  " + file + "\n";
            summary.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return PREFIX + Base64.getEncoder().encodeToString(summary.digest());
    }

    /** The hash go.sum records as {@code <mod> <ver>/go.mod h1:...} for this go.mod content. */
    public static String hashGoMod(byte[] goMod) throws GoModException {
        return hash1(List.of("go.mod"), name -> new java.io.ByteArrayInputStream(goMod));
    }

    /** The hash of every entry's name and content in a zip file, as go.sum records for modules. */
    public static String hashZip(Path zip) throws GoModException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<String> names = new ArrayList<>();
            Map<String, ZipEntry> entries = new HashMap<>();
            for (ZipEntry e : Collections.list(z.entries())) {
                names.add(e.getName());
                entries.put(e.getName(), e);
            }
            return hash1(names, name -> ZipEntries.open(z, entries.get(name)));
        } catch (java.util.zip.ZipException e) {
            throw new GoModException(Kind.INVALID_ZIP, zip + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new GoModException(Kind.IO, zip + ": " + e.getMessage(), e);
        }
    }

    /**
     * The hash of the regular files under {@code dir}, each named {@code prefix + "/" + its
     * slash-separated path below dir} (x/mod's HashDir; used to check an extracted module).
     */
    public static String hashDir(Path dir, String prefix) throws GoModException {
        List<String> files = dirFiles(dir, prefix);
        String lead = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        return hash1(files, name -> Files.newInputStream(dir.resolve(name.substring(lead.length()))));
    }

    /** The files below {@code dir} (directories themselves excluded), named as in hashDir. */
    public static List<String> dirFiles(Path dir, String prefix) throws GoModException {
        String lead = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        try (Stream<Path> walk = Files.walk(dir)) {
            List<String> files = new ArrayList<>();
            walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                String rel = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                files.add(lead + rel);
            });
            return files;
        } catch (IOException | UncheckedIOException e) {
            throw new GoModException(Kind.IO, dir + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
