package dev.modproxy.storage.layout;

import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.storage.BlobKey;

/**
 * Where module data lives in a {@link dev.modproxy.storage.BlobStore}: the one place that names
 * keys, so the gateway (reader) and the fetcher (writer) cannot disagree.
 *
 * <pre>
 *   modules/&lt;escaped path&gt;/@v/&lt;escaped version&gt;.mod    immutable; may exist alone (graph loading)
 *   modules/&lt;escaped path&gt;/@v/&lt;escaped version&gt;.zip    immutable; written before .info
 *   modules/&lt;escaped path&gt;/@v/&lt;escaped version&gt;.info   immutable; written last: its presence
 *                                                     means .mod and .zip are complete
 *   cache/&lt;escaped path&gt;/list                        mutable: last good upstream list
 *   cache/&lt;escaped path&gt;/latest                      mutable: last good upstream @latest
 *   negative/&lt;escaped path&gt;/@neg/&lt;name&gt;              mutable: "the upstreams said this does
 *                                                     not exist", with its expiry (the fetcher's
 *                                                     NegativeCache); '@' keeps one module's
 *                                                     markers apart from a longer path's
 * </pre>
 * The tree under {@code modules/} is itself a valid GOPROXY tree, so a static file server (or
 * {@code GOPROXY=file://...}) can serve a copy of it. Escaped forms have no upper case, so the
 * layout holds on case-insensitive filesystems too.
 */
public final class ModuleLayout {

    private ModuleLayout() {
    }

    public static BlobKey artifact(ModuleVersion mv, ProxyRequest.Type type) {
        if (type.suffix() == null) {
            throw new IllegalArgumentException(type + " is not a per-version artifact");
        }
        return BlobKey.of("modules/" + mv.path().escaped() + "/@v/" + mv.escapedVersion() + type.suffix());
    }

    /** The prefix under which every stored artifact of {@code module} lies. */
    public static String versionsPrefix(ModulePath module) {
        return "modules/" + module.escaped() + "/@v/";
    }

    public static BlobKey listCache(ModulePath module) {
        return BlobKey.of("cache/" + module.escaped() + "/list");
    }

    public static BlobKey latestCache(ModulePath module) {
        return BlobKey.of("cache/" + module.escaped() + "/latest");
    }

    /** The prefix of every negative-cache marker of {@code module} (and of no other module). */
    public static String negativePrefix(ModulePath module) {
        return "negative/" + module.escaped() + "/@neg/";
    }

    /** One negative-cache marker of {@code module}; {@code name} must be a valid key segment. */
    public static BlobKey negativeMarker(ModulePath module, String name) {
        return BlobKey.of(negativePrefix(module) + name);
    }
}
