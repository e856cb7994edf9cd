package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.client.UpstreamProxyClient;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.gomod.zip.ModuleZip;

import java.nio.file.Path;

/** An upstream proxy (one GOPROXY entry) as a {@link ModuleSource}, with size limits per answer. */
record ProxySource(String name, UpstreamProxyClient upstream) implements ModuleSource {

    static final long MAX_INFO = 1 << 20;
    static final long MAX_LIST = 8 << 20;

    @Override
    public byte[] list(ModulePath module) throws FetchException {
        return upstream.getBytes(name, module.escaped() + "/@v/list", MAX_LIST);
    }

    @Override
    public byte[] latest(ModulePath module) throws FetchException {
        return upstream.getBytes(name, module.escaped() + "/@latest", MAX_INFO);
    }

    @Override
    public byte[] info(ModulePath module, String versionOrQuery) throws FetchException {
        String escaped;
        try {
            escaped = dev.modproxy.gomod.module.Escaping.escapeVersion(versionOrQuery);
        } catch (dev.modproxy.gomod.GoModException e) {
            escaped = versionOrQuery; // a query the escaping rules do not cover goes as it came
        }
        return upstream.getBytes(name, module.escaped() + "/@v/" + escaped + ".info", MAX_INFO);
    }

    @Override
    public byte[] mod(ModuleVersion mv) throws FetchException {
        return upstream.getBytes(name, path(mv, Type.MOD), ModuleZip.MAX_GO_MOD + 1);
    }

    @Override
    public long zip(ModuleVersion mv, Path target) throws FetchException {
        return upstream.download(name, path(mv, Type.ZIP), target, ModuleZip.MAX_ZIP_FILE);
    }

    private static String path(ModuleVersion mv, Type type) {
        return mv.path().escaped() + "/@v/" + mv.escapedVersion() + type.suffix();
    }
}
