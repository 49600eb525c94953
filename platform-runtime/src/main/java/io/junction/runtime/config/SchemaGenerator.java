package io.junction.runtime.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.api.config.ConfigDoc;
import io.junction.api.config.DataSize;
import io.junction.runtime.plugin.ExtensionKind;
import io.junction.runtime.plugin.ExtensionRegistry;
import io.junction.runtime.plugin.RegisteredExtension;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * Generates the JSON Schema (draft 2020-12) of the config from the runtime's config records and
 * the config records of the extensions loaded, so editors can validate and complete
 * {@code junction.json}. Every object is closed ({@code additionalProperties: false}), as the loader is.
 */
public final class SchemaGenerator {

    private final ObjectMapper mapper = ConfigMapper.create();
    private final ExtensionRegistry registry;

    public SchemaGenerator(ExtensionRegistry registry) {
        this.registry = registry;
    }

    public ObjectNode generate() {
        ObjectNode schema = recordSchema(JunctionFile.class);
        ObjectNode root = mapper.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", "https://junction.io/schema/junction.json");
        root.put("title", "Junction config");
        root.setAll(schema);
        ((ObjectNode) root.get("properties")).putObject("$schema").put("type", "string")
                .put("description", "The URI or path of this schema, for editors; ignored by Junction.");
        return root;
    }

    private ObjectNode schemaOf(Type type) {
        Class<?> raw = rawClass(type);
        ObjectNode node = mapper.createObjectNode();
        if (raw == String.class) {
            node.put("type", "string");
        } else if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            node.put("type", "integer");
        } else if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
            node.put("type", "number");
        } else if (raw == Boolean.class || raw == boolean.class) {
            node.put("type", "boolean");
        } else if (raw == Duration.class) {
            node.put("type", "string").put("pattern", Durations.PATTERN);
            node.putArray("examples").add("2s").add("150ms");
        } else if (raw == DataSize.class) {
            node.put("type", "string").put("pattern", DataSize.PATTERN);
        } else if (raw.isEnum()) {
            ArrayNode values = node.putArray("enum");
            for (Object constant : raw.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
        } else if (Collection.class.isAssignableFrom(raw)) {
            node.put("type", "array");
            node.set("items", schemaOf(typeArgument(type, 0)));
        } else if (Map.class.isAssignableFrom(raw)) {
            node.put("type", "object");
            node.set("additionalProperties", schemaOf(typeArgument(type, 1)));
        } else if (ExtensionSpec.class.isAssignableFrom(raw)) {
            return extensionSchema(kindOf(raw));
        } else if (JsonNode.class.isAssignableFrom(raw)) {
            node.put("type", "object");
        } else if (raw.isRecord()) {
            ObjectNode record = recordSchema(raw);
            return acceptsString(raw) ? oneOf(mapper.createObjectNode().put("type", "string"), record) : record;
        }
        return node;
    }

    private ObjectNode recordSchema(Class<?> type) {
        ObjectNode node = mapper.createObjectNode();
        ConfigDoc typeDoc = type.getAnnotation(ConfigDoc.class);
        if (typeDoc != null) {
            node.put("description", typeDoc.value());
        }
        node.put("type", "object");
        ObjectNode properties = node.putObject("properties");
        ArrayNode required = mapper.createArrayNode();
        for (RecordComponent c : type.getRecordComponents()) {
            properties.set(c.getName(), property(c));
            ConfigDoc doc = c.getAnnotation(ConfigDoc.class);
            if (doc != null && doc.required()) {
                required.add(c.getName());
            }
        }
        if (!required.isEmpty()) {
            node.set("required", required);
        }
        node.put("additionalProperties", false);
        return node;
    }

    private ObjectNode property(RecordComponent c) {
        ObjectNode schema = schemaOf(c.getGenericType());
        com.fasterxml.jackson.annotation.JsonFormat format = c.getAnnotation(com.fasterxml.jackson.annotation.JsonFormat.class);
        if (format != null && java.util.Arrays.asList(format.with())
                .contains(com.fasterxml.jackson.annotation.JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)) {
            schema = oneOf(schemaOf(typeArgument(c.getGenericType(), 0)), schema); // one value, or a list of them
        }
        ConfigDoc doc = c.getAnnotation(ConfigDoc.class);
        if (doc != null) {
            schema.put("description", doc.value());
            if (!doc.defaultValue().isEmpty()) {
                try {
                    schema.set("default", mapper.readTree(doc.defaultValue()));
                } catch (Exception notJson) {
                    schema.put("default", doc.defaultValue());
                }
            }
        }
        return schema;
    }

    private ObjectNode extensionSchema(ExtensionKind kind) {
        ArrayNode choices = mapper.createArrayNode();
        for (RegisteredExtension e : registry.all(kind)) {
            ObjectNode choice = recordSchema(e.extension().configType());
            if (!e.extension().description().isBlank()) {
                choice.put("description", e.extension().description());
            }
            ObjectNode properties = (ObjectNode) choice.get("properties");
            ObjectNode withType = mapper.createObjectNode();
            withType.set("type", mapper.createObjectNode().put("const", e.type()));
            if (kind == ExtensionKind.HEALTH_CHECK) {
                withType.setAll((ObjectNode) recordSchema(HealthCheckTiming.class).get("properties"));
            }
            withType.setAll(properties);
            choice.set("properties", withType);
            ArrayNode required = choice.has("required") ? (ArrayNode) choice.get("required") : choice.putArray("required");
            required.insert(0, "type");
            choices.add(choice);
        }
        ObjectNode node = mapper.createObjectNode();
        node.put("description", "A " + kind.label() + ": \"type\" is one of " + registry.types(kind)
                + "; the other fields depend on the type.");
        if (choices.isEmpty()) {
            node.put("type", "object");
        } else {
            node.set("oneOf", choices);
        }
        return node;
    }

    private static boolean acceptsString(Class<?> type) {
        for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && m.isAnnotationPresent(JsonCreator.class)
                    && m.getParameterCount() == 1 && m.getParameterTypes()[0] == String.class) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode oneOf(ObjectNode a, ObjectNode b) {
        ObjectNode node = mapper.createObjectNode();
        if (b.has("description")) {
            node.set("description", b.get("description"));
        }
        node.putArray("oneOf").add(a).add(b);
        return node;
    }

    private static ExtensionKind kindOf(Class<?> spec) {
        if (spec == ExtensionSpec.Protocol.class) {
            return ExtensionKind.PROTOCOL;
        }
        if (spec == ExtensionSpec.Filter.class) {
            return ExtensionKind.FILTER;
        }
        if (spec == ExtensionSpec.Balancer.class) {
            return ExtensionKind.BALANCER;
        }
        if (spec == ExtensionSpec.Discovery.class) {
            return ExtensionKind.DISCOVERY;
        }
        return ExtensionKind.HEALTH_CHECK;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }
}
