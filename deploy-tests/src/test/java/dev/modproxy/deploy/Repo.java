package dev.modproxy.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root (the directory holding deploy/), from -Dmodproxy.root or upwards from here. */
final class Repo {

    private Repo() {
    }

    static Path root() {
        String explicit = System.getProperty("modproxy.root");
        if (explicit != null && Files.isDirectory(Path.of(explicit, "deploy"))) {
            return Path.of(explicit).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/kustomize"))) {
                return p;
            }
        }
        throw new AssertionError("cannot find the repository root (deploy/kustomize) from " + Path.of("").toAbsolutePath());
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }
}
