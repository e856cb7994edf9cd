package dev.modproxy.sumdb.service;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.note.NoteKeys;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * {@code keygen <name> [<file>|-]}: a new key for the own checksum database, made once and kept
 * for the database's life (a Kubernetes Secret every sumdb replica mounts). Without it each
 * replica would generate its own key, and the log in storage refuses every key but the first.
 *
 * <p>With a file, the signer key ({@code PRIVATE+KEY+<name>+…}) is written there — a new file,
 * mode 0600, never over an existing one, as losing the old key would orphan its log — and the
 * verifier key (what clients put in GOSUMDB) is printed. With {@code -} the signer key goes to
 * standard output and the verifier key to standard error, for {@code podman run … > signer.key},
 * where the container cannot write the caller's files.
 */
public final class KeyGen {

    static final String USAGE = "usage: keygen <name> [<signer key file>|-]   (name: modproxy.sumdb.name, e.g. sum.corp.example)";

    private KeyGen() {
    }

    /** Runs the command; the exit status. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.size() > 2 || args.get(0).startsWith("-")) {
            err.println(USAGE);
            return 2;
        }
        String name = args.get(0);
        NoteKeys.KeyPair pair = NoteKeys.generateKey(name);
        try {
            // As in Go, generating does not check the name; parsing the key does.
            SignerKeys.fromSignerKey(pair.signerKey());
        } catch (GoModException | RuntimeException e) {
            err.println("keygen: " + name + " cannot name a checksum database: " + e.getMessage());
            return 2;
        }
        String target = args.size() == 2 ? args.get(1) : "-";
        if (target.equals("-")) {
            out.println(pair.signerKey());
            out.flush();
            err.println(pair.verifierKey());
            return 0;
        }
        Path file = Path.of(target);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, pair.signerKey() + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            err.println("keygen: " + file + " exists; a database keeps its key for life (see README, the own checksum database's key)");
            return 1;
        } catch (IOException e) {
            err.println("keygen: cannot write " + file + ": " + e);
            return 1;
        }
        out.println(pair.verifierKey());
        return 0;
    }
}
