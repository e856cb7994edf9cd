package dev.modproxy.gateway.support;

import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.layout.ModuleLayout;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The artifacts of a made-up module version, the same every time they are asked for, so a
 * test can compare what it is served with what was stored. Zips are not real zips (the gateway
 * never looks inside) but big enough to need several stream chunks.
 */
public final class TestModules {

    public static final int ZIP_SIZE = 300_001;

    private TestModules() {
    }

    public static byte[] info(ModuleVersion mv) {
        return ("{\"Version\":\"" + mv.version() + "\",\"Time\":\"2024-01-02T03:04:05Z\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] mod(ModuleVersion mv) {
        return ("module " + mv.path().value() + "\n\ngo 1.21\n").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] zip(ModuleVersion mv) {
        byte[] bytes = new byte[ZIP_SIZE];
        new Random(mv.toString().hashCode()).nextBytes(bytes);
        return bytes;
    }

    /** Stores a whole version the way the fetcher does: zip, mod, and .info last. */
    public static void storeVersion(BlobStore store, ModuleVersion mv) throws StorageException {
        put(store, mv, Type.ZIP, zip(mv));
        put(store, mv, Type.MOD, mod(mv));
        put(store, mv, Type.INFO, info(mv));
    }

    public static void put(BlobStore store, ModuleVersion mv, Type type, byte[] bytes) throws StorageException {
        store.put(ModuleLayout.artifact(mv, type), new ByteArrayInputStream(bytes), bytes.length,
                BlobStore.WriteMode.IMMUTABLE);
    }

    public static ModuleVersion mv(String path, String version) {
        try {
            return ModuleVersion.of(path, version);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
