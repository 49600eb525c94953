package io.junction.runtime.plugin;

import io.junction.api.Extension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every extension that loaded, by kind and type name. Type names are unique within a kind. */
public final class ExtensionRegistry {

    private final Map<ExtensionKind, Map<String, RegisteredExtension>> byKind = new EnumMap<>(ExtensionKind.class);

    public ExtensionRegistry() {
        for (ExtensionKind kind : ExtensionKind.values()) {
            byKind.put(kind, new TreeMap<>());
        }
    }

    /** The extension already registered under the same kind and type, if any. */
    public Optional<RegisteredExtension> conflict(ExtensionKind kind, String type) {
        return Optional.ofNullable(byKind.get(kind).get(type));
    }

    /** Registers an extension; the caller has checked {@link #conflict}. */
    public void register(RegisteredExtension extension) {
        RegisteredExtension previous = byKind.get(extension.kind()).putIfAbsent(extension.type(), extension);
        if (previous != null) {
            throw new IllegalStateException("duplicate " + extension.kind().label() + " type " + extension.type());
        }
    }

    /** Registers an extension defined in code, as tests and embedders do. */
    public ExtensionRegistry register(ExtensionKind kind, Extension<?, ?> extension) {
        register(new RegisteredExtension(kind, extension, null));
        return this;
    }

    public Optional<RegisteredExtension> find(ExtensionKind kind, String type) {
        return Optional.ofNullable(byKind.get(kind).get(type));
    }

    /** The type names of a kind, sorted, for "expected one of" messages. */
    public List<String> types(ExtensionKind kind) {
        return List.copyOf(byKind.get(kind).keySet());
    }

    public List<RegisteredExtension> all(ExtensionKind kind) {
        return List.copyOf(byKind.get(kind).values());
    }

    public List<RegisteredExtension> all() {
        List<RegisteredExtension> all = new ArrayList<>();
        byKind.values().forEach(m -> all.addAll(m.values()));
        return Collections.unmodifiableList(all);
    }
}
