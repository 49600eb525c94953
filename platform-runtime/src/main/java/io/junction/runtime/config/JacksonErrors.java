package io.junction.runtime.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.junction.api.config.DataSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns Jackson's binding exceptions into {@link ConfigError}s with JSON paths and plain words. */
final class JacksonErrors {

    private static final Pattern FIELD_PREFIX = Pattern.compile("([A-Za-z][A-Za-z0-9]*(?:\\[\\d+\\])?): (.*)", Pattern.DOTALL);

    private JacksonErrors() {
    }

    static ConfigError describe(String basePath, JsonMappingException e) {
        return describe(basePath, e, Set.of());
    }

    /** As {@link #describe(String, JsonMappingException)}; {@code alsoKnown} are more fields valid at {@code basePath} itself. */
    static ConfigError describe(String basePath, JsonMappingException e, Set<String> alsoKnown) {
        String path = basePath + pathOf(e.getPath());
        if (e instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = new ArrayList<>(u.getKnownPropertyIds());
            if (e.getPath().size() == 1) {
                known.addAll(alsoKnown);
            }
            return new ConfigError(path, "unknown field; expected one of " + sorted(known));
        }
        if (e instanceof ValueInstantiationException || (e.getCause() instanceof IllegalArgumentException && !(e instanceof InvalidFormatException))) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            Matcher m = FIELD_PREFIX.matcher(message);
            if (m.matches()) {
                return new ConfigError(join(path, m.group(1)), m.group(2));
            }
            return new ConfigError(path, message);
        }
        if (e instanceof InvalidFormatException f) {
            // The duration deserializer's own messages are already in plain words.
            boolean plain = f.getOriginalMessage().startsWith("expected") || f.getTargetType() == Duration.class;
            return new ConfigError(path, plain ? f.getOriginalMessage()
                    : "expected " + describeType(f.getTargetType()) + ", got " + describeValue(f.getValue()));
        }
        if (e instanceof MismatchedInputException m) {
            return new ConfigError(path, "expected " + describeType(m.getTargetType()) + ", got " + describeToken(e));
        }
        return new ConfigError(path, e.getOriginalMessage());
    }

    static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String pathOf(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    static String describeType(Class<?> type) {
        if (type == null) {
            return "another value";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration like \"2s\" or \"150ms\"";
        }
        if (type == DataSize.class) {
            return "a size like \"64KB\"";
        }
        if (type.isEnum()) {
            TreeSet<String> names = new TreeSet<>();
            for (Object constant : type.getEnumConstants()) {
                names.add(constant.toString());
            }
            return "one of " + names;
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isRecord() || JsonNode.class.isAssignableFrom(type) || ExtensionSpec.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }

    private static String describeValue(Object value) {
        if (value instanceof String text) {
            return "the string \"" + text + "\"";
        }
        if (value instanceof Number number) {
            return "the number " + number;
        }
        return String.valueOf(value);
    }

    private static String describeToken(JsonMappingException e) {
        if (!(e.getProcessor() instanceof JsonParser parser)) {
            return "something else";
        }
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "nothing";
        }
        try {
            return switch (token) {
                case VALUE_STRING -> "the string \"" + parser.getText() + "\"";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + parser.getText();
                case VALUE_TRUE, VALUE_FALSE -> parser.getText();
                case VALUE_NULL -> "null";
                case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
                case START_ARRAY, END_ARRAY -> "an array";
                default -> token.toString();
            };
        } catch (java.io.IOException io) {
            return token.toString();
        }
    }

    private static String sorted(Collection<Object> ids) {
        TreeSet<String> names = new TreeSet<>();
        ids.forEach(id -> names.add(String.valueOf(id)));
        return names.toString();
    }
}
