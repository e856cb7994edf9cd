package dev.modproxy.storage;

import dev.modproxy.storage.s3.S3Settings;

import java.nio.file.Path;

/**
 * Which backend to open. {@code type} is "fs" (needs {@code fsRoot}) or "s3" (needs {@code s3}).
 */
public record StorageSettings(String type, Path fsRoot, S3Settings s3) {

    public static StorageSettings fs(Path root) {
        return new StorageSettings("fs", root, null);
    }

    public static StorageSettings s3(S3Settings s3) {
        return new StorageSettings("s3", null, s3);
    }
}
