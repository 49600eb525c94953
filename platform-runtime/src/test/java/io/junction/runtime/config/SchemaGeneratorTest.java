package io.junction.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.api.config.DataSize;
import io.junction.runtime.plugin.ExtensionKind;
import io.junction.runtime.plugin.ExtensionRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class SchemaGeneratorTest {

    private final ObjectNode schema = new SchemaGenerator(TestExtensions.registry()).generate();

    private JsonNode pipelineItems() {
        return schema.at("/properties/pipelines/items");
    }

    private JsonNode upstreamItems() {
        return schema.at("/properties/upstreams/items");
    }

    /** The oneOf choice whose "type" property is {"const": type}. */
    private static JsonNode choice(JsonNode extension, String type) {
        return StreamSupport.stream(extension.get("oneOf").spliterator(), false)
                .filter(c -> type.equals(c.at("/properties/type/const").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no choice for type " + type + " in " + extension));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    @Test
    void isADraft2020SchemaOfAClosedObject() {
        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.get("type").asText()).isEqualTo("object");
        assertThat(schema.get("additionalProperties").isBoolean()).isTrue();
        assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
        assertThat(iterableOfFieldNames(schema.get("properties"))).containsExactly("admin", "drainTimeout", "pipelines", "upstreams", "$schema");
        assertThat(texts(schema.get("required"))).containsExactly("pipelines");
    }

    @Test
    void pipelinesAreAnArrayOfClosedObjects() {
        assertThat(schema.at("/properties/pipelines/type").asText()).isEqualTo("array");
        JsonNode items = pipelineItems();
        assertThat(items.get("type").asText()).isEqualTo("object");
        assertThat(items.get("additionalProperties").isBoolean()).isTrue();
        assertThat(items.get("additionalProperties").asBoolean()).isFalse();
        assertThat(texts(items.get("required"))).containsExactly("name", "listen", "protocol");
        assertThat(iterableOfFieldNames(items.get("properties")))
                .containsExactly("name", "listen", "acceptProxyProtocol", "limits", "tls", "protocol", "filters", "routes", "upstream");
    }

    @Test
    void protocolIsOneOfTheRegisteredProtocolTypes() {
        JsonNode protocol = pipelineItems().at("/properties/protocol");

        assertThat(protocol.has("oneOf")).isTrue();
        JsonNode oneOf = protocol.get("oneOf");
        assertThat(oneOf).hasSize(3);
        List<JsonNode> typeProperties = new ArrayList<>();
        oneOf.forEach(c -> typeProperties.add(c.at("/properties/type")));
        ObjectNode expected = schema.objectNode();
        assertThat(typeProperties).containsExactlyInAnyOrder(
                expected.deepCopy().put("const", "http"),
                expected.deepCopy().put("const", "respond"),
                expected.deepCopy().put("const", "tcp"));
        oneOf.forEach(c -> {
            assertThat(c.get("additionalProperties").asBoolean(true)).as("closed: %s", c).isFalse();
            assertThat(texts(c.get("required"))).as("required of %s", c).startsWith("type");
        });
    }

    @Test
    void eachProtocolChoiceDescribesItsConfigRecord() {
        JsonNode tcp = choice(pipelineItems().at("/properties/protocol"), "tcp");

        assertThat(iterableOfFieldNames(tcp.get("properties"))).containsExactly("type", "connectTimeout", "connectAttempts");
        assertThat(tcp.at("/properties/connectAttempts/type").asText()).isEqualTo("integer");
        assertThat(tcp.at("/properties/connectAttempts/default").asInt()).isEqualTo(3);
        assertThat(tcp.get("description").asText()).as("the extension's description wins").isEqualTo("Test TCP proxy.");
    }

    @Test
    void durationFieldsHaveAPattern() {
        assertThat(schema.at("/properties/drainTimeout/type").asText()).isEqualTo("string");
        assertThat(schema.at("/properties/drainTimeout/pattern").asText()).isEqualTo(Durations.PATTERN);
        assertThat(schema.at("/properties/drainTimeout/default").asText()).isEqualTo("30s");

        JsonNode tcp = choice(pipelineItems().at("/properties/protocol"), "tcp");
        assertThat(tcp.at("/properties/connectTimeout/type").asText()).isEqualTo("string");
        assertThat(tcp.at("/properties/connectTimeout/pattern").asText()).isEqualTo(Durations.PATTERN);
    }

    @Test
    void sizeFieldsHaveAPattern() {
        JsonNode respond = choice(pipelineItems().at("/properties/protocol"), "respond");

        assertThat(respond.at("/properties/maxHeaderSize/pattern").asText()).isEqualTo(DataSize.PATTERN);
    }

    @Test
    void filtersBalancersAndHealthChecksListTheirTypes() {
        JsonNode filters = pipelineItems().at("/properties/filters");
        assertThat(filters.get("type").asText()).isEqualTo("array");
        assertThat(filters.at("/items/oneOf")).hasSize(3);
        choice(filters.get("items"), "allow");

        JsonNode balancer = upstreamItems().at("/properties/balancer");
        assertThat(balancer.get("oneOf")).hasSize(2);
        choice(balancer, "round-robin");
        choice(balancer, "least-connections");

        JsonNode healthCheck = upstreamItems().at("/properties/healthCheck");
        assertThat(healthCheck.get("oneOf")).hasSize(2);
    }

    @Test
    void healthCheckChoicesIncludeTheRuntimeFields() {
        JsonNode http = choice(upstreamItems().at("/properties/healthCheck"), "http");

        assertThat(iterableOfFieldNames(http.get("properties")))
                .containsExactly("type", "interval", "timeout", "healthyThreshold", "unhealthyThreshold", "path", "expectStatus");
        assertThat(http.at("/properties/interval/pattern").asText()).isEqualTo(Durations.PATTERN);
        assertThat(http.at("/properties/interval/default").asText()).isEqualTo("5s");
        assertThat(http.get("additionalProperties").asBoolean(true)).isFalse();
    }

    @Test
    void routeMatchIsAnObject() {
        JsonNode route = pipelineItems().at("/properties/routes/items");

        assertThat(route.at("/properties/match/type").asText()).isEqualTo("object");
        assertThat(route.at("/properties/action/type").asText()).isEqualTo("object");
        assertThat(route.has("required")).as("upstream may be left out when an action answers").isFalse();
    }

    @Test
    void endpointsAreAStringOrAnObject() {
        JsonNode endpoint = upstreamItems().at("/properties/endpoints/items");

        assertThat(endpoint.get("oneOf")).hasSize(2);
        assertThat(endpoint.at("/oneOf/0/type").asText()).isEqualTo("string");
        assertThat(endpoint.at("/oneOf/1/type").asText()).isEqualTo("object");
        assertThat(endpoint.at("/oneOf/1/additionalProperties").asBoolean(true)).isFalse();
        assertThat(texts(endpoint.at("/oneOf/1/required"))).containsExactly("address");
    }

    @Test
    void defaultBalancerIsDocumented() {
        assertThat(upstreamItems().at("/properties/balancer/default/type").asText()).isEqualTo(ConfigLoader.DEFAULT_BALANCER);
    }

    @Test
    void withoutExtensionsAKindIsAPlainObject() {
        ObjectNode empty = new SchemaGenerator(new ExtensionRegistry()).generate();
        JsonNode protocol = empty.at("/properties/pipelines/items/properties/protocol");

        assertThat(protocol.has("oneOf")).isFalse();
        assertThat(protocol.get("type").asText()).isEqualTo("object");
    }

    @Test
    void onlyTheKindsOwnExtensionsAreChoices() {
        ExtensionRegistry registry = new ExtensionRegistry()
                .register(ExtensionKind.PROTOCOL, new TestExtensions.TcpProtocol())
                .register(ExtensionKind.HEALTH_CHECK, new TestExtensions.TcpCheckExtension());
        ObjectNode generated = new SchemaGenerator(registry).generate();

        JsonNode protocol = generated.at("/properties/pipelines/items/properties/protocol");
        assertThat(protocol.get("oneOf")).hasSize(1);
        assertThat(protocol.at("/oneOf/0/properties/type/const").asText()).isEqualTo("tcp");
        JsonNode check = generated.at("/properties/upstreams/items/properties/healthCheck");
        assertThat(check.get("oneOf")).hasSize(1);
    }

    private static List<String> iterableOfFieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
