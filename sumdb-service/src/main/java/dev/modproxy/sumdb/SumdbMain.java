package dev.modproxy.sumdb;

import dev.modproxy.sumdb.service.KeyGen;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Arrays;

/**
 * The service, or with the first argument {@code keygen} the key generator ({@link KeyGen}),
 * which needs none of the service: {@code java -jar quarkus-run.jar keygen <name>}, or in the
 * image {@code podman run --rm modproxy/sumdb-service:<tag> keygen <name> - > signer.key}.
 */
@QuarkusMain
public class SumdbMain {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("keygen")) {
            System.exit(KeyGen.run(Arrays.asList(args).subList(1, args.length), System.out, System.err));
        }
        Quarkus.run(args);
    }
}
