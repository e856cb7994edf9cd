package dev.modproxy.gomod.module;

/**
 * The result of {@link ModulePaths#splitPathVersion}: {@code prefix + pathMajor} is the path;
 * {@code ok} is false when its last element is a malformed major-version suffix.
 */
public record PathVersionSplit(String prefix, String pathMajor, boolean ok) {
}
