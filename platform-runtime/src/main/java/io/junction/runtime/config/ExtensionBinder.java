package io.junction.runtime.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.runtime.plugin.ExtensionKind;
import io.junction.runtime.plugin.ExtensionRegistry;
import io.junction.runtime.plugin.RegisteredExtension;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Binds the JSON of an extension (minus {@code "type"}) to that extension's config record. */
final class ExtensionBinder {

    private final ObjectMapper mapper;
    private final ExtensionRegistry registry;

    ExtensionBinder(ObjectMapper mapper, ExtensionRegistry registry) {
        this.mapper = mapper;
        this.registry = registry;
    }

    /** Binds {@code json}, adding any problems to {@code errors}; empty when it failed. */
    Optional<BoundExtension> bind(ExtensionKind kind, ObjectNode json, String path, List<ConfigError> errors) {
        return bind(kind, json, path, Set.of(), errors);
    }

    /**
     * Binds {@code json}, where the runtime has already taken out its own {@code runtimeFields}
     * (a health check's interval and thresholds); they are listed too when a field is unknown.
     */
    Optional<BoundExtension> bind(ExtensionKind kind, ObjectNode json, String path, Set<String> runtimeFields,
                                  List<ConfigError> errors) {
        JsonNode typeNode = json.get("type");
        List<String> known = registry.types(kind);
        if (typeNode == null || !typeNode.isTextual()) {
            errors.add(new ConfigError(JacksonErrors.join(path, "type"), (typeNode == null ? "is required" : "expected a string")
                    + "; the " + kind.label() + " types loaded are " + known));
            return Optional.empty();
        }
        String type = typeNode.asText();
        Optional<RegisteredExtension> extension = registry.find(kind, type);
        if (extension.isEmpty()) {
            errors.add(new ConfigError(JacksonErrors.join(path, "type"), "unknown " + kind.label() + " type '" + type
                    + "'; the " + kind.label() + " types loaded are " + known
                    + (known.isEmpty() ? " (is its plugin in the plugins directory?)" : "")));
            return Optional.empty();
        }
        ObjectNode rest = json.deepCopy();
        rest.remove("type");
        return bindConfig(extension.get(), rest, path, runtimeFields, errors);
    }

    /** Binds {@code json} to the config record of a known extension. */
    Optional<BoundExtension> bindConfig(RegisteredExtension extension, ObjectNode json, String path, List<ConfigError> errors) {
        return bindConfig(extension, json, path, Set.of(), errors);
    }

    private Optional<BoundExtension> bindConfig(RegisteredExtension extension, ObjectNode json, String path,
                                                Set<String> runtimeFields, List<ConfigError> errors) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(extension.classLoader());
        try {
            Object config = mapper.treeToValue(json, extension.extension().configType());
            if (config == null) {
                errors.add(new ConfigError(path, "expected an object"));
                return Optional.empty();
            }
            return Optional.of(new BoundExtension(extension, config, path));
        } catch (JsonMappingException e) {
            errors.add(JacksonErrors.describe(path, e, runtimeFields));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            errors.add(new ConfigError(path, e.getMessage()));
        } finally {
            thread.setContextClassLoader(previous);
        }
        return Optional.empty();
    }
}
