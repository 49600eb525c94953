package io.junction.runtime.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Collectors;

/** Describes the loaded plugins and their extensions, as text ({@code junction plugins}) or JSON ({@code /plugins}). */
public final class PluginReport {

    private PluginReport() {
    }

    public static String text(PluginSet plugins) {
        StringBuilder sb = new StringBuilder();
        for (LoadedPlugin plugin : plugins.plugins()) {
            PluginDescriptor d = plugin.descriptor();
            sb.append(d.id()).append(' ').append(d.version())
                    .append("  (module ").append(plugin.module()).append(", API ").append(d.apiVersion()).append(")\n")
                    .append("  file: ").append(d.jar()).append('\n');
            if (!d.description().isBlank()) {
                sb.append("  ").append(d.description()).append('\n');
            }
            for (RegisteredExtension e : plugin.extensions()) {
                sb.append("  ").append(e.kind().label()).append(" '").append(e.type()).append("'");
                if (!e.extension().description().isBlank()) {
                    sb.append(" - ").append(e.extension().description());
                }
                sb.append('\n');
            }
        }
        if (!plugins.errors().isEmpty()) {
            sb.append("not loaded:\n").append(plugins.errors().stream().map(e -> "  " + e.getMessage())
                    .collect(Collectors.joining("\n"))).append('\n');
        }
        return sb.toString();
    }

    public static ObjectNode json(ObjectMapper mapper, PluginSet plugins) {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("plugins");
        for (LoadedPlugin plugin : plugins.plugins()) {
            PluginDescriptor d = plugin.descriptor();
            ObjectNode node = list.addObject();
            node.put("id", d.id()).put("version", d.version()).put("apiVersion", d.apiVersion().toString())
                    .put("module", plugin.module()).put("file", d.jar().toString()).put("description", d.description());
            ArrayNode extensions = node.putArray("extensions");
            for (RegisteredExtension e : plugin.extensions()) {
                extensions.addObject().put("kind", e.kind().label()).put("type", e.type())
                        .put("description", e.extension().description());
            }
        }
        ArrayNode errors = root.putArray("errors");
        plugins.errors().forEach(e -> errors.addObject().put("file", e.file().toString()).put("message", e.getMessage()));
        return root;
    }
}
