package dev.modproxy.gomod.zip;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.GoModException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Lists a module directory as zip creation sees it (x/mod's listFilesInDir).
 *
 * <p>Rules: the tree is walked in lexical order of names (byte order, as Go's filepath.Walk),
 * without following symbolic links. Before anything else, an entry in a vendored package
 * ({@link FileListCheck#isVendoredPackage}) is omitted, and a vendored directory is still
 * descended into, so its files are omitted one by one. Below the root, directories named
 * {@code .bzr}, {@code .git}, {@code .hg} or {@code .svn} are omitted whole as version-control
 * data, and so is every directory holding a non-directory named {@code go.mod} (a nested
 * module). Irregular files, symbolic links included, are omitted. Everything else is listed
 * for {@link FileListCheck}.
 */
final class DirLister {

    private static final Comparator<Path> BY_NAME_BYTES = (a, b) -> Arrays.compareUnsigned(
            a.getFileName().toString().getBytes(StandardCharsets.UTF_8),
            b.getFileName().toString().getBytes(StandardCharsets.UTF_8));

    private final Path root;
    private final List<ModuleFile> files = new ArrayList<>();
    private final List<FileError> omitted = new ArrayList<>();

    private DirLister(Path root) {
        this.root = root;
    }

    /** The files of the tree at {@code root}, and what was left out (paths relative to root). */
    static DirLister list(Path root) throws GoModException {
        DirLister lister = new DirLister(root);
        try {
            lister.visit(root, Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new GoModException(Kind.IO, "lstat " + e.getMessage(), e);
        }
        return lister;
    }

    List<ModuleFile> files() {
        return files;
    }

    List<FileError> omitted() {
        return omitted;
    }

    private void visit(Path file, BasicFileAttributes attrs) throws IOException {
        String slashPath = slashPath(file);
        if (FileListCheck.isVendoredPackage(slashPath)) {
            omitted.add(new FileError(slashPath, "file is in vendor directory"));
            if (!attrs.isDirectory()) {
                return;
            }
        } else if (attrs.isDirectory()) {
            if (!file.equals(root) && skipDirectory(file, slashPath)) {
                return;
            }
        } else {
            if (!attrs.isRegularFile()) {
                omitted.add(new FileError(slashPath, "not a regular file"));
            } else {
                files.add(new DirFile(file, slashPath, attrs.size()));
            }
            return;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(file)) {
            dir.forEach(children::add);
        }
        children.sort(BY_NAME_BYTES);
        for (Path child : children) {
            visit(child, Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        }
    }

    private boolean skipDirectory(Path dir, String slashPath) {
        switch (dir.getFileName().toString()) {
            case ".bzr", ".git", ".hg", ".svn" -> {
                omitted.add(new FileError(slashPath, "directory is a version control repository"));
                return true;
            }
            default -> {
                Path goMod = dir.resolve("go.mod");
                if (Files.exists(goMod, LinkOption.NOFOLLOW_LINKS)
                        && !Files.isDirectory(goMod, LinkOption.NOFOLLOW_LINKS)) {
                    omitted.add(new FileError(slashPath, "directory is in another module"));
                    return true;
                }
                return false;
            }
        }
    }

    private String slashPath(Path file) {
        String rel = root.relativize(file).toString();
        if (rel.isEmpty()) {
            return ".";
        }
        return rel.replace(file.getFileSystem().getSeparator(), "/");
    }

    /** A regular file in the directory tree. */
    private record DirFile(Path file, String path, long size) implements ModuleFile {
        @Override
        public Type type() {
            return Type.REGULAR;
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }
    }
}
