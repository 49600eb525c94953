package io.junction.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.junction.api.config.DataSize;
import io.junction.api.upstream.HttpProtocol;
import io.junction.runtime.config.TestExtensions.AllowConfig;
import io.junction.runtime.config.TestExtensions.HttpCheckConfig;
import io.junction.runtime.config.TestExtensions.HttpMatch;
import io.junction.runtime.config.TestExtensions.LeastConnectionsConfig;
import io.junction.runtime.config.TestExtensions.NoConfig;
import io.junction.runtime.config.TestExtensions.RespondConfig;
import io.junction.runtime.config.TestExtensions.TcpConfig;
import io.junction.runtime.plugin.ExtensionKind;
import io.junction.runtime.plugin.ExtensionRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    private static final ExtensionRegistry REGISTRY = TestExtensions.registry();

    /** An upstream named "web" that every pipeline below can route to. */
    private static final String WEB = """
            {"name": "web", "endpoints": ["127.0.0.1:8081"]}""";

    // ---- helpers ---------------------------------------------------------------------------

    private static LoadedConfig load(String json) throws ConfigException {
        return new ConfigLoader(REGISTRY).parse(json, "test.json");
    }

    private static List<ConfigError> errors(String json) {
        return errors(REGISTRY, json);
    }

    private static List<ConfigError> errors(ExtensionRegistry registry, String json) {
        try {
            LoadedConfig config = new ConfigLoader(registry).parse(json, "test.json");
            return fail("expected the config to be refused, but it loaded: %s", config);
        } catch (ConfigException e) {
            assertThat(e.source()).isEqualTo("test.json");
            assertThat(e.errors()).isNotEmpty();
            return e.errors();
        }
    }

    /** Asserts that {@code json} has exactly one error, at {@code path}, whose message contains every part. */
    private static ConfigError assertOnlyError(String json, String path, String... messageParts) {
        return assertOnlyError(REGISTRY, json, path, messageParts);
    }

    private static ConfigError assertOnlyError(ExtensionRegistry registry, String json, String path, String... messageParts) {
        List<ConfigError> errors = errors(registry, json);
        assertThat(errors).as("errors").hasSize(1);
        ConfigError error = errors.get(0);
        assertThat(error.path()).as("path of %s", error).isEqualTo(path);
        assertThat(error.message()).as("message of %s", error).contains(messageParts);
        return error;
    }

    /** A config file with the given pipelines and the upstream {@link #WEB}. */
    private static String file(String pipelines) {
        return file(pipelines, WEB);
    }

    private static String file(String pipelines, String upstreams) {
        return "{\"pipelines\": [" + pipelines + "], \"upstreams\": [" + upstreams + "]}";
    }

    /** A pipeline named "a" on 127.0.0.1:9000 with the given protocol object and more fields (each starting with a comma). */
    private static String pipeline(String protocol, String more) {
        return "{\"name\": \"a\", \"listen\": \"127.0.0.1:9000\", \"protocol\": " + protocol + more + "}";
    }

    /** A tcp pipeline sending to "web", with more fields. */
    private static String tcpToWeb(String more) {
        return pipeline("{\"type\": \"tcp\"}", ", \"upstream\": \"web\"" + more);
    }

    /** A config whose only pipeline is a tcp pipeline to "web", and the given upstreams. */
    private static String withUpstreams(String upstreams) {
        return file(tcpToWeb(""), upstreams);
    }

    // ---- valid configs ---------------------------------------------------------------------

    @Nested
    class Valid {

        @Test
        void aTopLevelSchemaReferenceForEditorsIsAllowedButNowhereElse() throws ConfigException {
            LoadedConfig config = load("""
                    { "$schema": "./junction.schema.json",
                      "pipelines": [ {"name": "p", "listen": "127.0.0.1:9000", "protocol": {"type": "respond"}} ] }
                    """);
            assertThat(config.pipelines()).hasSize(1);
            assertThat(errors("""
                    { "pipelines": [ {"$schema": "x", "name": "p", "listen": "127.0.0.1:9000", "protocol": {"type": "respond"}} ] }
                    """)).extracting(ConfigError::path).containsExactly("pipelines[0].$schema");
        }

        @Test
        void aCompleteConfigBindsEveryPart() throws ConfigException {
            LoadedConfig config = load("""
                    {
                      "admin": {"listen": "127.0.0.1:9901"},
                      "pipelines": [
                        {
                          "name": "l4",
                          "listen": "127.0.0.1:9000",
                          "protocol": {"type": "tcp", "connectTimeout": "250ms", "connectAttempts": 2},
                          "filters": [{"type": "allow", "cidrs": ["10.0.0.0/8"]}],
                          "upstream": "web"
                        },
                        {
                          "name": "l7",
                          "listen": "127.0.0.1:9001",
                          "protocol": {"type": "http"},
                          "filters": [{"type": "allow"}, {"type": "add-header", "name": "x-via", "value": "junction"}],
                          "routes": [
                            {"match": {"host": "api.example.com", "pathPrefix": "/v1"}, "upstream": "api"},
                            {"upstream": "web"}
                          ]
                        },
                        {
                          "name": "hello",
                          "listen": "127.0.0.1:9002",
                          "protocol": {"type": "respond", "status": 204, "maxHeaderSize": "8KB"}
                        }
                      ],
                      "upstreams": [
                        {
                          "name": "web",
                          "endpoints": ["127.0.0.1:8081", {"address": "127.0.0.1:8082", "weight": 5}, {"address": "127.0.0.1:8083"}]
                        },
                        {
                          "name": "api",
                          "endpoints": ["[::1]:8090"],
                          "balancer": {"type": "least-connections", "choices": 2},
                          "healthCheck": {"type": "tcp"}
                        }
                      ]
                    }
                    """);

            assertThat(config.source()).isEqualTo("test.json");
            assertThat(config.json().get("pipelines").size()).isEqualTo(3);
            assertThat(config.admin()).contains(new HostPort("127.0.0.1", 9901));
            assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(30));

            assertThat(config.pipelines()).extracting(LoadedConfig.Pipeline::name).containsExactly("l4", "l7", "hello");
            assertThat(config.pipelines()).extracting(LoadedConfig.Pipeline::path)
                    .containsExactly("pipelines[0]", "pipelines[1]", "pipelines[2]");

            LoadedConfig.Pipeline l4 = config.pipelines().get(0);
            assertThat(l4.listen()).containsExactly(new HostPort("127.0.0.1", 9000));
            assertThat(l4.protocol().type()).isEqualTo("tcp");
            assertThat(l4.protocol().path()).isEqualTo("pipelines[0].protocol");
            assertThat(l4.protocol().config()).isEqualTo(new TcpConfig(Duration.ofMillis(250), 2));
            assertThat(l4.filters()).singleElement().satisfies(f -> {
                assertThat(f.type()).isEqualTo("allow");
                assertThat(f.path()).isEqualTo("pipelines[0].filters[0]");
                assertThat(f.config()).isEqualTo(new AllowConfig(List.of("10.0.0.0/8")));
            });
            assertThat(l4.routes()).containsExactly(new LoadedConfig.Route("routes[0]", null, null, "web"));

            LoadedConfig.Pipeline l7 = config.pipelines().get(1);
            assertThat(l7.protocol().type()).isEqualTo("http");
            assertThat(l7.filters()).extracting(BoundExtension::type).containsExactly("allow", "add-header");
            assertThat(l7.filters()).extracting(BoundExtension::path)
                    .containsExactly("pipelines[1].filters[0]", "pipelines[1].filters[1]");
            assertThat(l7.routes()).containsExactly(
                    new LoadedConfig.Route("routes[0]", new HttpMatch("api.example.com", "/v1"), null, "api"),
                    new LoadedConfig.Route("routes[1]", null, null, "web"));

            LoadedConfig.Pipeline hello = config.pipelines().get(2);
            assertThat(hello.protocol().config()).isEqualTo(new RespondConfig(204, "", DataSize.ofKilobytes(8)));
            assertThat(hello.routes()).isEmpty();
            assertThat(hello.filters()).isEmpty();

            assertThat(config.upstreams()).extracting(LoadedConfig.Upstream::name).containsExactly("web", "api");
            LoadedConfig.Upstream web = config.upstreams().get(0);
            assertThat(web.path()).isEqualTo("upstreams[0]");
            assertThat(web.endpoints()).containsExactly(
                    new EndpointSection("127.0.0.1:8081", 1),
                    new EndpointSection("127.0.0.1:8082", 5),
                    new EndpointSection("127.0.0.1:8083", 1));
            assertThat(web.balancer().type()).as("default balancer").isEqualTo(ConfigLoader.DEFAULT_BALANCER).isEqualTo("round-robin");
            assertThat(web.balancer().config()).isEqualTo(new NoConfig());
            assertThat(web.balancer().path()).isEqualTo("upstreams[0].balancer");
            assertThat(web.healthCheck()).isNull();
            assertThat(web.healthCheckTiming()).isNull();
            assertThat(web.httpProtocol()).as("default httpProtocol").isEqualTo(HttpProtocol.HTTP_1_1);

            LoadedConfig.Upstream api = config.upstreams().get(1);
            assertThat(api.endpoints()).singleElement()
                    .satisfies(e -> assertThat(e.hostPort()).isEqualTo(new HostPort("::1", 8090)));
            assertThat(api.balancer().type()).isEqualTo("least-connections");
            assertThat(api.balancer().config()).isEqualTo(new LeastConnectionsConfig(2));
            assertThat(api.healthCheck().type()).isEqualTo("tcp");
            assertThat(api.healthCheck().path()).isEqualTo("upstreams[1].healthCheck");
            assertThat(api.healthCheckTiming()).as("health check timing defaults")
                    .isEqualTo(new HealthCheckTiming(Duration.ofSeconds(5), Duration.ofSeconds(1), 2, 3));
        }

        @Test
        void extensionConfigDefaultsApplyWhenOnlyTypeIsGiven() throws ConfigException {
            LoadedConfig config = load(file(tcpToWeb("")));

            assertThat(config.pipelines().get(0).protocol().config()).isEqualTo(new TcpConfig(Duration.ofSeconds(5), 3));
        }

        @Test
        void drainTimeoutAndUpstreamsAreOptional() throws ConfigException {
            LoadedConfig config = load("""
                    {"pipelines": [{"name": "hello", "listen": "127.0.0.1:9000", "protocol": {"type": "respond"}}]}
                    """);

            assertThat(config.drainTimeout()).isEqualTo(JunctionFile.DEFAULT_DRAIN_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.upstreams()).isEmpty();
            assertThat(config.admin()).isEmpty();
        }

        @Test
        void drainTimeoutIsParsed() throws ConfigException {
            LoadedConfig config = load("""
                    {"drainTimeout": "1m",
                     "pipelines": [{"name": "hello", "listen": "127.0.0.1:9000", "protocol": {"type": "respond"}}]}
                    """);

            assertThat(config.drainTimeout()).isEqualTo(Duration.ofMinutes(1));
        }

        @Test
        void ipv6ListenAddressesInBrackets() throws ConfigException {
            LoadedConfig config = load("""
                    {"pipelines": [{"name": "hello", "listen": "[::1]:9000", "protocol": {"type": "respond"}}]}
                    """);

            assertThat(config.pipelines().get(0).listen()).containsExactly(new HostPort("::1", 9000));
        }

        @Test
        void ipv4WildcardAndIpv6LoopbackMayShareAPort() throws ConfigException {
            LoadedConfig config = load(file(
                    tcpToWeb("") + ","
                            + "{\"name\": \"v4\", \"listen\": \"0.0.0.0:9100\", \"protocol\": {\"type\": \"respond\"}},"
                            + "{\"name\": \"v6\", \"listen\": \"[::1]:9100\", \"protocol\": {\"type\": \"respond\"}}"));

            assertThat(config.pipelines()).hasSize(3);
        }

        @Test
        void ephemeralPortsNeverClash() throws ConfigException {
            LoadedConfig config = load("""
                    {"pipelines": [
                      {"name": "a", "listen": "127.0.0.1:0", "protocol": {"type": "respond"}},
                      {"name": "b", "listen": "127.0.0.1:0", "protocol": {"type": "respond"}}
                    ]}
                    """);

            assertThat(config.pipelines()).hasSize(2);
        }

        @Test
        void nullOptionalFieldsMeanAbsent() throws ConfigException {
            LoadedConfig config = load("""
                    {"admin": null, "drainTimeout": null, "upstreams": null,
                     "pipelines": [{"name": "hello", "listen": "127.0.0.1:9000", "protocol": {"type": "respond", "status": null}}]}
                    """);

            assertThat(config.admin()).isEmpty();
            assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.pipelines().get(0).protocol().config()).isEqualTo(new RespondConfig(200, "", DataSize.ofKilobytes(16)));
        }

        @Test
        void loadsAFile(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("junction.json");
            Files.writeString(file, file(tcpToWeb("")));

            LoadedConfig config = new ConfigLoader(REGISTRY).load(file);

            assertThat(config.source()).isEqualTo(file.toString());
            assertThat(config.pipelines()).hasSize(1);
        }
    }

    // ---- JSON syntax -----------------------------------------------------------------------

    @Nested
    class Syntax {

        @Test
        void malformedJsonReportsLineAndColumn() {
            assertOnlyError("""
                    {
                      "pipelines": [
                        {"name": }
                      ]
                    }
                    """, "", "line 3, column 14", "not valid JSON");
        }

        @Test
        void trailingContentIsMalformed() {
            assertOnlyError("{\"pipelines\": []} {}", "", "line 1, column 19", "not valid JSON");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"pipelines\"", "42", "null", "", "   "})
        void rootMustBeAnObject(String json) {
            assertOnlyError(json, "", "expected a JSON object");
        }

        @Test
        void duplicateTopLevelKeysAreRefused() {
            assertOnlyError("""
                    {"pipelines": [], "pipelines": []}
                    """, "", "line 1", "Duplicate field 'pipelines'");
        }

        @Test
        void duplicateKeysInsideAnExtensionAreRefused() {
            assertOnlyError(file("""
                    {"name": "a", "listen": "127.0.0.1:9000", "protocol": {"type": "tcp", "type": "http"}, "upstream": "web"}
                    """), "", "not valid JSON", "Duplicate field 'type'");
        }

        @Test
        void missingFileIsReported(@TempDir Path dir) {
            Path missing = dir.resolve("nope.json");
            try {
                new ConfigLoader(REGISTRY).load(missing);
                fail("expected a ConfigException");
            } catch (ConfigException e) {
                assertThat(e.source()).isEqualTo(missing.toString());
                assertThat(e.errors()).containsExactly(new ConfigError("", "no such file"));
            }
        }

        @Test
        void exceptionMessageListsEveryErrorWithItsPath() {
            try {
                load("{\"bogus\": 1, \"pipelines\": []}");
                fail("expected a ConfigException");
            } catch (ConfigException e) {
                assertThat(e.getMessage()).startsWith("test.json: 2 errors\n")
                        .contains("  bogus: unknown field")
                        .contains("  pipelines: needs at least one element");
            }
        }
    }

    // ---- unknown fields --------------------------------------------------------------------

    @Nested
    class UnknownFields {

        @Test
        void atTopLevel() {
            assertOnlyError("{\"pipelines\": [" + tcpToWeb("") + "], \"upstreams\": [" + WEB + "], \"piplines\": []}",
                    "piplines", "unknown field", "expected one of [admin, drainTimeout, pipelines, upstreams]");
        }

        @Test
        void insideAPipeline() {
            assertOnlyError(file(tcpToWeb(", \"filter\": []")),
                    "pipelines[0].filter", "unknown field", "expected one of [acceptProxyProtocol, filters, limits, listen, name, protocol, routes, tls, upstream]");
        }

        @Test
        void insideAnExtensionConfig() {
            assertOnlyError(file(pipeline("{\"type\": \"tcp\", \"bogus\": 1}", ", \"upstream\": \"web\"")),
                    "pipelines[0].protocol.bogus", "unknown field", "expected one of [connectAttempts, connectTimeout]");
        }

        @Test
        void insideAFilterConfig() {
            assertOnlyError(file(tcpToWeb(", \"filters\": [{\"type\": \"allow\", \"cidr\": \"10.0.0.0/8\"}]")),
                    "pipelines[0].filters[0].cidr", "unknown field", "expected one of [cidrs]");
        }

        @Test
        void insideABalancerConfig() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "balancer": {"type": "least-connections", "choice": 2}}
                    """), "upstreams[0].balancer.choice", "unknown field", "expected one of [choices]");
        }

        @Test
        void insideAnUpstream() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "balancing": "random"}
                    """), "upstreams[0].balancing", "unknown field", "expected one of [balancer, circuitBreaker, discovery, endpoints, healthCheck, httpProtocol, name, outlierDetection, panicThreshold, slowStart, tls]");
        }

        @Test
        void insideAnEndpointObject() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": [{"address": "127.0.0.1:8081", "wieght": 2}]}
                    """), "upstreams[0].endpoints[0].wieght", "unknown field", "expected one of [address, weight]");
        }

        @Test
        void insideAdmin() {
            assertOnlyError("{\"admin\": {\"listen\": \"127.0.0.1:9901\", \"port\": 1}, \"pipelines\": [" + tcpToWeb("")
                            + "], \"upstreams\": [" + WEB + "]}",
                    "admin.port", "unknown field", "expected one of [listen]");
        }
    }

    // ---- wrong types -----------------------------------------------------------------------

    @Nested
    class WrongTypes {

        @Test
        void stringWhereIntegerExpected() {
            assertOnlyError(file(pipeline("{\"type\": \"tcp\", \"connectAttempts\": \"3\"}", ", \"upstream\": \"web\"")),
                    "pipelines[0].protocol.connectAttempts", "expected an integer, got the string \"3\"");
        }

        @Test
        void fractionWhereIntegerExpected() {
            assertOnlyError(file(pipeline("{\"type\": \"tcp\", \"connectAttempts\": 2.5}", ", \"upstream\": \"web\"")),
                    "pipelines[0].protocol.connectAttempts", "expected an integer", "2.5");
        }

        @Test
        void booleanWhereIntegerExpected() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": [{"address": "127.0.0.1:8081", "weight": true}]}
                    """), "upstreams[0].endpoints[0].weight", "expected an integer, got true");
        }

        @Test
        void numberWhereStringExpected() {
            assertOnlyError(file("{\"name\": 7, \"listen\": \"127.0.0.1:9000\", \"protocol\": {\"type\": \"tcp\"}, \"upstream\": \"web\"}"),
                    "pipelines[0].name", "expected a string, got the number 7");
        }

        @Test
        void numberWhereHostPortExpected() {
            assertOnlyError(file("{\"name\": \"a\", \"listen\": 9000, \"protocol\": {\"type\": \"tcp\"}, \"upstream\": \"web\"}"),
                    "pipelines[0].listen[0]", "expected a string, got the number 9000"); // one value stands for a list of one
        }

        @Test
        void booleanWhereStringExpected() {
            assertOnlyError(file(pipeline("{\"type\": \"respond\", \"body\": false}", "")),
                    "pipelines[0].protocol.body", "expected a string, got false");
        }

        @Test
        void arrayWhereStringExpected() {
            assertOnlyError(file(tcpToWeb("").replace("\"name\": \"a\"", "\"name\": [\"a\"]")),
                    "pipelines[0].name", "expected a string, got an array");
        }

        @Test
        void objectWhereArrayExpectedAtTopLevel() {
            assertOnlyError("{\"pipelines\": {\"a\": {}}}", "pipelines", "expected an array, got an object");
        }

        @Test
        void objectWhereArrayExpectedInAnUpstream() {
            assertOnlyError(file(pipeline("{\"type\": \"respond\"}", ""), """
                    {"name": "web", "endpoints": {"address": "127.0.0.1:8081"}}
                    """), "upstreams[0].endpoints", "expected an array, got an object");
        }

        @Test
        void objectWhereArrayExpectedInAPipeline() {
            assertOnlyError(file(tcpToWeb(", \"filters\": {\"type\": \"allow\"}")),
                    "pipelines[0].filters", "expected an array, got an object");
        }

        @Test
        void stringWhereObjectExpected() {
            assertOnlyError(file(pipeline("\"tcp\"", ", \"upstream\": \"web\"")),
                    "pipelines[0].protocol", "expected an object, got the string \"tcp\"");
        }

        @Test
        void pipelineThatIsNotAnObject() {
            assertOnlyError(file("\"a\""), "pipelines[0]", "expected an object, got the string \"a\"");
        }

        @Test
        void badDurationInAnExtensionConfig() {
            assertOnlyError(file(pipeline("{\"type\": \"tcp\", \"connectTimeout\": \"2 sec\"}", ", \"upstream\": \"web\"")),
                    "pipelines[0].protocol.connectTimeout", "expected a duration like", "got \"2 sec\"");
        }

        @Test
        void numberWhereDurationExpected() {
            assertOnlyError(file(pipeline("{\"type\": \"tcp\", \"connectTimeout\": 2}", ", \"upstream\": \"web\"")),
                    "pipelines[0].protocol.connectTimeout", "expected a duration like \"2s\" or \"150ms\", got the number 2");
        }

        @Test
        void badDrainTimeout() {
            assertOnlyError("{\"drainTimeout\": \"30 seconds\", \"pipelines\": [" + tcpToWeb("") + "], \"upstreams\": [" + WEB + "]}",
                    "drainTimeout", "expected a duration like", "got \"30 seconds\"");
        }

        @Test
        void durationTooLargeIsAnErrorNotACrash() {
            assertOnlyError("{\"drainTimeout\": \"9999999999999999d\", \"pipelines\": [" + tcpToWeb("") + "], \"upstreams\": [" + WEB + "]}",
                    "drainTimeout", "too large");
            assertOnlyError(file(pipeline("{\"type\": \"tcp\", \"connectTimeout\": \"9999999999999999d\"}", ", \"upstream\": \"web\"")),
                    "pipelines[0].protocol.connectTimeout", "too large");
        }

        @Test
        void badSize() {
            assertOnlyError(file(pipeline("{\"type\": \"respond\", \"maxHeaderSize\": \"16 kilobytes\"}", "")),
                    "pipelines[0].protocol.maxHeaderSize", "expected a size like", "\"16 kilobytes\"");
        }

        @Test
        void numberWhereSizeExpected() {
            assertOnlyError(file(pipeline("{\"type\": \"respond\", \"maxHeaderSize\": 16}", "")),
                    "pipelines[0].protocol.maxHeaderSize", "expected a size like \"64KB\", got the number 16");
        }

        @Test
        void nullRouteIsAnErrorAtItsIndex() {
            assertOnlyError(file(pipeline("{\"type\": \"tcp\"}", ", \"routes\": [null]")),
                    "pipelines[0].routes[0]", "expected an object, got null");
        }

        @Test
        void nullFilterIsAnErrorAtItsIndex() {
            assertOnlyError(file(tcpToWeb(", \"filters\": [{\"type\": \"allow\"}, null]")),
                    "pipelines[0].filters[1]", "expected an object, got null");
        }

        @Test
        void nullEndpointIsAnErrorAtItsIndex() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081", null]}
                    """), "upstreams[0].endpoints[1]", "got null");
        }

        @Test
        void nullListElementInAnExtensionConfig() {
            assertOnlyError(file(tcpToWeb(", \"filters\": [{\"type\": \"allow\", \"cidrs\": [\"10.0.0.0/8\", null]}]")),
                    "pipelines[0].filters[0].cidrs[1]", "expected a string, got null");
        }

        @Test
        void validationInAnExtensionConfigRecordIsReportedAtItsField() {
            assertOnlyError(file(pipeline("{\"type\": \"tcp\", \"connectAttempts\": 11}", ", \"upstream\": \"web\"")),
                    "pipelines[0].protocol.connectAttempts", "expected 1 to 10, got 11");
        }
    }

    // ---- extension types -------------------------------------------------------------------

    @Nested
    class ExtensionTypes {

        @Test
        void unknownProtocol() {
            assertOnlyError(file(pipeline("{\"type\": \"udp\"}", ", \"upstream\": \"web\"")),
                    "pipelines[0].protocol.type", "unknown protocol handler type 'udp'",
                    "the protocol handler types loaded are [http, respond, tcp]");
        }

        @Test
        void unknownBalancer() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "balancer": {"type": "fastest"}}
                    """), "upstreams[0].balancer.type", "unknown balancer type 'fastest'",
                    "the balancer types loaded are [least-connections, round-robin]");
        }

        @Test
        void unknownHealthCheck() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "healthCheck": {"type": "grpc", "interval": "2s"}}
                    """), "upstreams[0].healthCheck.type", "unknown health check type 'grpc'",
                    "the health check types loaded are [http, tcp]");
        }

        @Test
        void unknownFilter() {
            assertOnlyError(file(tcpToWeb(", \"filters\": [{\"type\": \"allow\"}, {\"type\": \"deny\"}]")),
                    "pipelines[0].filters[1].type", "unknown filter type 'deny'",
                    "the filter types loaded are [add-header, allow, trace]");
        }

        @Test
        void withNoExtensionsOfAKindTheMessageHintsAtThePluginsDirectory() {
            ExtensionRegistry registry = new ExtensionRegistry()
                    .register(ExtensionKind.BALANCER, new TestExtensions.RoundRobinExtension());
            assertOnlyError(registry, file(tcpToWeb("")), "pipelines[0].protocol.type",
                    "unknown protocol handler type 'tcp'", "loaded are []", "plugins directory");
        }

        @Test
        void missingType() {
            assertOnlyError(file(pipeline("{\"connectAttempts\": 2}", ", \"upstream\": \"web\"")),
                    "pipelines[0].protocol.type", "is required", "the protocol handler types loaded are [http, respond, tcp]");
        }

        @Test
        void missingTypeInABalancer() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "balancer": {}}
                    """), "upstreams[0].balancer.type", "is required", "[least-connections, round-robin]");
        }

        @Test
        void typeThatIsNotAString() {
            assertOnlyError(file(pipeline("{\"type\": 4}", ", \"upstream\": \"web\"")),
                    "pipelines[0].protocol.type", "expected a string", "[http, respond, tcp]");
        }

        @Test
        void missingDefaultBalancer() {
            ExtensionRegistry registry = new ExtensionRegistry()
                    .register(ExtensionKind.PROTOCOL, new TestExtensions.TcpProtocol())
                    .register(ExtensionKind.BALANCER, new TestExtensions.LeastConnectionsExtension());
            assertOnlyError(registry, file(tcpToWeb("")), "upstreams[0].balancer",
                    "no balancer given and the default 'round-robin' is not loaded", "[least-connections]");
        }
    }

    // ---- references to upstreams -----------------------------------------------------------

    @Nested
    class UpstreamReferences {

        private static final String TWO_UPSTREAMS = WEB + ", {\"name\": \"api\", \"endpoints\": [\"127.0.0.1:8090\"]}";

        @Test
        void upstreamShorthandToAMissingUpstream() {
            assertOnlyError(file(pipeline("{\"type\": \"tcp\"}", ", \"upstream\": \"wbe\""), TWO_UPSTREAMS),
                    "pipelines[0].upstream", "no upstream named 'wbe'", "the upstreams are [api, web]");
        }

        @Test
        void routeToAMissingUpstream() {
            assertOnlyError(file(pipeline("{\"type\": \"http\"}",
                            ", \"routes\": [{\"match\": {\"host\": \"a\"}, \"upstream\": \"api\"}, {\"upstream\": \"nope\"}]"), TWO_UPSTREAMS),
                    "pipelines[0].routes[1].upstream", "no upstream named 'nope'", "the upstreams are [api, web]");
        }

        @Test
        void withNoUpstreamsTheListIsEmpty() {
            assertOnlyError("{\"pipelines\": [" + tcpToWeb("") + "]}",
                    "pipelines[0].upstream", "no upstream named 'web'", "the upstreams are []");
        }

        @Test
        void danglingUpstreamIsReportedEvenWhenTheProtocolIsUnknown() {
            List<ConfigError> errors = errors(file(pipeline("{\"type\": \"udp\"}", ", \"upstream\": \"nope\"")));

            assertThat(errors).extracting(ConfigError::path)
                    .containsExactlyInAnyOrder("pipelines[0].protocol.type", "pipelines[0].upstream");
        }

        @Test
        void anUpstreamWithErrorsIsNotAlsoReportedAsMissing() {
            // The endpoint error is the one to fix; "no upstream named 'web'" would only confuse.
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": [{"address": "127.0.0.1:8081", "weight": 0}]}
                    """), "upstreams[0].endpoints[0].weight", "expected 1 to 1000, got 0");
        }

        @Test
        void routeWithoutUpstream() {
            assertOnlyError(file(pipeline("{\"type\": \"http\"}", ", \"routes\": [{\"match\": {\"host\": \"a\"}}]")),
                    "pipelines[0].routes[0].upstream", "is required");
        }

        @Test
        void routesAndUpstreamTogether() {
            assertOnlyError(file(tcpToWeb(", \"routes\": [{\"upstream\": \"web\"}]")),
                    "pipelines[0].upstream", "use either \"routes\" or \"upstream\", not both");
        }
    }

    // ---- upstreams and endpoints -----------------------------------------------------------

    @Nested
    class Endpoints {

        @Test
        void emptyEndpointList() {
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": []}"),
                    "upstreams[0].endpoints", "needs at least one endpoint");
        }

        @Test
        void missingEndpoints() {
            assertOnlyError(withUpstreams("{\"name\": \"web\"}"), "upstreams[0].endpoints", "needs at least one endpoint");
        }

        @Test
        void outlierDetectionValuesNameTheirField() {
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [\"127.0.0.1:8081\"], "
                    + "\"outlierDetection\": {\"maxEjectionPercent\": 150}}"),
                    "upstreams[0].outlierDetection.maxEjectionPercent", "expected 0 to 100, got 150");
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [\"127.0.0.1:8081\"], "
                    + "\"outlierDetection\": {\"baseEjectionTime\": \"10s\", \"maxEjectionTime\": \"5s\"}}"),
                    "upstreams[0].outlierDetection.maxEjectionTime", "must be at least baseEjectionTime (10s)");
        }

        @Test
        void circuitBreakerAndPanicValuesNameTheirField() {
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [\"127.0.0.1:8081\"], "
                    + "\"circuitBreaker\": {\"maxRequests\": 0}}"),
                    "upstreams[0].circuitBreaker.maxRequests", "must be at least 1, got 0");
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [\"127.0.0.1:8081\"], \"panicThreshold\": 101}"),
                    "upstreams[0].panicThreshold", "expected 0 to 100 (percent), got 101");
        }

        @Test
        void negativeCountsAndBudgetsNameTheirField() {
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [\"127.0.0.1:8081\"], "
                    + "\"outlierDetection\": {\"consecutiveErrors\": -1}}"),
                    "upstreams[0].outlierDetection.consecutiveErrors", "must be 0 (off) or more, got -1");
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [\"127.0.0.1:8081\"], "
                    + "\"circuitBreaker\": {\"retryBudgetPercent\": 101}}"),
                    "upstreams[0].circuitBreaker.retryBudgetPercent", "expected 0 to 100, got 101");
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [\"127.0.0.1:8081\"], \"slowStart\": \"0s\"}"),
                    "upstreams[0].slowStart", "must be at least 1ms");
        }

        @Test
        void unknownDiscoveryType() {
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"discovery\": {\"type\": \"consul\"}}"),
                    "upstreams[0].discovery.type", "unknown discovery type 'consul'");
        }

        @Test
        void missingUpstreamName() {
            assertOnlyError(file(pipeline("{\"type\": \"respond\"}", ""), "{\"endpoints\": [\"127.0.0.1:8081\"]}"),
                    "upstreams[0].name", "is required");
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, 1001})
        void weightOutOfRange(int weight) {
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [\"127.0.0.1:8081\", {\"address\": \"127.0.0.1:8082\", \"weight\": "
                            + weight + "}]}"),
                    "upstreams[0].endpoints[1].weight", "expected 1 to 1000, got " + weight);
        }

        @Test
        void httpProtocolIsHttp11OrH2() throws ConfigException {
            LoadedConfig config = load(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "httpProtocol": "h2"},
                    {"name": "api", "endpoints": ["127.0.0.1:8082"], "httpProtocol": "http/1.1"}
                    """));

            assertThat(config.upstreams()).extracting(LoadedConfig.Upstream::httpProtocol)
                    .containsExactly(HttpProtocol.HTTP_2, HttpProtocol.HTTP_1_1);
        }

        @Test
        void badHttpProtocolNamesItsField() {
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [\"127.0.0.1:8081\"], \"httpProtocol\": \"h3\"}"),
                    "upstreams[0].httpProtocol", "expected \"http/1.1\" or \"h2\", got \"h3\"");
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [\"127.0.0.1:8081\"], \"httpProtocol\": 2}"),
                    "upstreams[0].httpProtocol", "expected");
        }

        @Test
        void weightAtTheLimitsIsAccepted() throws ConfigException {
            LoadedConfig config = load(withUpstreams("""
                    {"name": "web", "endpoints": [{"address": "127.0.0.1:8081", "weight": 1}, {"address": "127.0.0.1:8082", "weight": 1000}]}
                    """));

            assertThat(config.upstreams().get(0).endpoints()).extracting(EndpointSection::weight).containsExactly(1, 1000);
        }

        @Test
        void endpointStringWithoutPortIsReportedAtTheElement() {
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [\"127.0.0.1:8081\", \"localhost\"]}"),
                    "upstreams[0].endpoints[1]", "expected host:port", "got \"localhost\"");
        }

        @Test
        void endpointObjectWithBadPortIsReportedAtItsAddress() {
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [{\"address\": \"127.0.0.1:99999\"}]}"),
                    "upstreams[0].endpoints[0].address", "port 99999", "outside 0-65535");
        }

        @Test
        void endpointObjectWithoutAddress() {
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [{\"weight\": 2}]}"),
                    "upstreams[0].endpoints[0].address", "is required");
        }

        @Test
        void endpointThatIsANumber() {
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [8081]}"),
                    "upstreams[0].endpoints[0]", "got the number 8081");
        }

        @Test
        void endpointHostThatDoesNotResolve() {
            assertOnlyError(withUpstreams("{\"name\": \"web\", \"endpoints\": [\"no-such-host.invalid:80\"]}"),
                    "upstreams[0].endpoints[0]", "host \"no-such-host.invalid\" does not resolve");
        }

        @Test
        void badListenAddress() {
            assertOnlyError(file("{\"name\": \"a\", \"listen\": \"127.0.0.1\", \"protocol\": {\"type\": \"tcp\"}, \"upstream\": \"web\"}"),
                    "pipelines[0].listen", "expected host:port", "got \"127.0.0.1\"");
        }

        @Test
        void badAdminAddress() {
            assertOnlyError("{\"admin\": {\"listen\": \"127.0.0.1:http\"}, \"pipelines\": [" + tcpToWeb("") + "], \"upstreams\": [" + WEB + "]}",
                    "admin.listen", "expected a port number");
        }
    }

    // ---- names and addresses ---------------------------------------------------------------

    @Nested
    class NamesAndAddresses {

        @Test
        void twoPipelinesOnOneAddress() {
            assertOnlyError(file(tcpToWeb("") + ", {\"name\": \"b\", \"listen\": \"127.0.0.1:9000\", \"protocol\": {\"type\": \"respond\"}}"),
                    "pipelines[1].listen", "127.0.0.1:9000 is already the address of pipelines[0]", "needs its own address");
        }

        @Test
        void pipelineOnTheAdminAddress() {
            assertOnlyError("{\"admin\": {\"listen\": \"127.0.0.1:9000\"}, \"pipelines\": [" + tcpToWeb("") + "], \"upstreams\": [" + WEB + "]}",
                    "pipelines[0].listen", "is already the address of admin");
        }

        @Test
        void twoWildcardPipelinesOnOnePort() {
            assertOnlyError(file(
                            "{\"name\": \"a\", \"listen\": \"0.0.0.0:9000\", \"protocol\": {\"type\": \"respond\"}},"
                                    + "{\"name\": \"b\", \"listen\": \"[::]:9000\", \"protocol\": {\"type\": \"respond\"}}"),
                    "pipelines[1].listen", "is already the address of pipelines[0]");
        }

        @Test
        void aSpecificAddressOnAPortAWildcardPipelineHolds() {
            assertOnlyError(file(
                            "{\"name\": \"a\", \"listen\": \"0.0.0.0:9000\", \"protocol\": {\"type\": \"respond\"}},"
                                    + "{\"name\": \"b\", \"listen\": \"127.0.0.1:9000\", \"protocol\": {\"type\": \"respond\"}}"),
                    "pipelines[1].listen", "127.0.0.1:9000 overlaps 0.0.0.0:9000 of pipelines[0]", "wildcard");
        }

        @Test
        void aWildcardPipelineOnTheAdminPort() {
            assertOnlyError("{\"admin\": {\"listen\": \"127.0.0.1:9901\"}, \"pipelines\": ["
                            + "{\"name\": \"a\", \"listen\": \"0.0.0.0:9901\", \"protocol\": {\"type\": \"respond\"}}]}",
                    "pipelines[0].listen", "overlaps 127.0.0.1:9901 of admin");
        }

        @Test
        void duplicatePipelineNames() {
            assertOnlyError(file(tcpToWeb("") + ", {\"name\": \"a\", \"listen\": \"127.0.0.1:9001\", \"protocol\": {\"type\": \"respond\"}}"),
                    "pipelines[1].name", "another pipeline (pipelines[0]) is already named 'a'");
        }

        @Test
        void duplicateUpstreamNames() {
            assertOnlyError(withUpstreams(WEB + ", {\"name\": \"web\", \"endpoints\": [\"127.0.0.1:8082\"]}"),
                    "upstreams[1].name", "another upstream (upstreams[0]) is already named 'web'");
        }

        @Test
        void duplicateNamesAreFoundEvenWhenTheFirstHasOtherErrors() {
            List<ConfigError> errors = errors(file(
                    pipeline("{\"type\": \"udp\"}", ", \"upstream\": \"web\"") + ","
                            + "{\"name\": \"a\", \"listen\": \"127.0.0.1:9001\", \"protocol\": {\"type\": \"respond\"}}",
                    "{\"name\": \"web\", \"endpoints\": [{\"address\": \"127.0.0.1:8081\", \"weight\": 0}]},"
                            + "{\"name\": \"web\", \"endpoints\": [\"127.0.0.1:8082\"]}"));

            assertThat(errors).extracting(ConfigError::path).containsExactlyInAnyOrder(
                    "pipelines[0].protocol.type", "pipelines[1].name",
                    "upstreams[0].endpoints[0].weight", "upstreams[1].name");
        }

        @Test
        void blankPipelineName() {
            assertOnlyError(file(tcpToWeb("").replace("\"name\": \"a\"", "\"name\": \" \"")), "pipelines[0].name", "is required");
        }

        @Test
        void missingPipelines() {
            assertOnlyError("{\"upstreams\": [" + WEB + "]}", "pipelines", "is required");
        }

        @Test
        void emptyPipelines() {
            assertOnlyError("{\"pipelines\": []}", "pipelines", "needs at least one element");
        }

        @Test
        void missingProtocol() {
            assertOnlyError(file("{\"name\": \"a\", \"listen\": \"127.0.0.1:9000\", \"upstream\": \"web\"}"),
                    "pipelines[0].protocol", "is required");
        }
    }

    // ---- what each protocol accepts --------------------------------------------------------

    @Nested
    class ProtocolRules {

        @Test
        void protocolThatAnswersByItselfGivenAnUpstream() {
            assertOnlyError(file(pipeline("{\"type\": \"respond\"}", ", \"upstream\": \"web\"")),
                    "pipelines[0].upstream", "protocol 'respond' answers by itself", "takes no routes or upstream");
        }

        @Test
        void protocolThatAnswersByItselfGivenRoutes() {
            assertOnlyError(file(pipeline("{\"type\": \"respond\"}", ", \"routes\": [{\"upstream\": \"web\"}]")),
                    "pipelines[0].routes", "protocol 'respond' answers by itself");
        }

        @Test
        void protocolThatUsesUpstreamsGivenNone() {
            assertOnlyError(file(pipeline("{\"type\": \"tcp\"}", "")),
                    "pipelines[0]", "protocol 'tcp' needs \"upstream\": \"<name>\" or \"routes\"");
        }

        @Test
        void protocolThatUsesUpstreamsGivenAnEmptyRouteList() {
            assertOnlyError(file(pipeline("{\"type\": \"http\"}", ", \"routes\": []")),
                    "pipelines[0]", "protocol 'http' needs");
        }

        @Test
        void matchOnAProtocolWithoutRouteMatchType() {
            assertOnlyError(file(pipeline("{\"type\": \"tcp\"}", ", \"routes\": [{\"match\": {\"host\": \"a\"}, \"upstream\": \"web\"}]")),
                    "pipelines[0].routes[0].match", "protocol 'tcp' does not look inside connections; remove \"match\"");
        }

        @Test
        void moreThanOneRouteOnAProtocolWithoutRouteMatchType() {
            assertOnlyError(file(pipeline("{\"type\": \"tcp\"}", ", \"routes\": [{\"upstream\": \"web\"}, {\"upstream\": \"web\"}]")),
                    "pipelines[0].routes", "protocol 'tcp' does not look inside connections, so it takes one route; found 2");
        }

        @Test
        void oneRouteWithoutMatchOnAProtocolWithoutRouteMatchType() throws ConfigException {
            LoadedConfig config = load(file(pipeline("{\"type\": \"tcp\"}", ", \"routes\": [{\"upstream\": \"web\"}]")));

            assertThat(config.pipelines().get(0).routes()).containsExactly(new LoadedConfig.Route("routes[0]", null, null, "web"));
        }

        @Test
        void routeMatchWithAnUnknownField() {
            assertOnlyError(file(pipeline("{\"type\": \"http\"}",
                            ", \"routes\": [{\"match\": {\"host\": \"a\"}, \"upstream\": \"web\"}, {\"match\": {\"hots\": \"b\"}, \"upstream\": \"web\"}]")),
                    "pipelines[0].routes[1].match.hots", "unknown field", "expected one of [host, pathPrefix]");
        }

        @Test
        void routeMatchWithAnInvalidValue() {
            assertOnlyError(file(pipeline("{\"type\": \"http\"}", ", \"routes\": [{\"match\": {\"pathPrefix\": \"api\"}, \"upstream\": \"web\"}]")),
                    "pipelines[0].routes[0].match.pathPrefix", "must start with \"/\"");
        }

        @Test
        void routeMatchOfTheWrongType() {
            assertOnlyError(file(pipeline("{\"type\": \"http\"}", ", \"routes\": [{\"match\": {\"host\": 5}, \"upstream\": \"web\"}]")),
                    "pipelines[0].routes[0].match.host", "expected a string, got the number 5");
        }

        @Test
        void routeMatchThatIsNotAnObject() {
            assertOnlyError(file(pipeline("{\"type\": \"http\"}", ", \"routes\": [{\"match\": \"/api\", \"upstream\": \"web\"}]")),
                    "pipelines[0].routes[0].match", "expected an object");
        }
    }

    // ---- filters ---------------------------------------------------------------------------

    @Nested
    class Filters {

        @Test
        void exchangeFilterOnAProtocolThatRunsConnectionFiltersOnly() {
            assertOnlyError(file(tcpToWeb(", \"filters\": [{\"type\": \"allow\"}, {\"type\": \"add-header\", \"name\": \"x\", \"value\": \"y\"}]")),
                    "pipelines[0].filters[1].type",
                    "filter 'add-header' cannot run in a pipeline of protocol 'tcp', which runs connection filters only");
        }

        @Test
        void filterOfAnotherExchangeContract() {
            assertOnlyError(file(pipeline("{\"type\": \"http\"}", ", \"upstream\": \"web\", \"filters\": [{\"type\": \"trace\"}]")),
                    "pipelines[0].filters[0].type", "filter 'trace' cannot run in a pipeline of protocol 'http'", "which runs RequestFilters");
        }

        @Test
        void connectionFiltersRunOnEveryProtocol() throws ConfigException {
            LoadedConfig config = load(file(
                    tcpToWeb(", \"filters\": [{\"type\": \"allow\"}]") + ","
                            + "{\"name\": \"b\", \"listen\": \"127.0.0.1:9001\", \"protocol\": {\"type\": \"respond\"}, \"filters\": [{\"type\": \"allow\"}]},"
                            + "{\"name\": \"c\", \"listen\": \"127.0.0.1:9002\", \"protocol\": {\"type\": \"http\"}, \"upstream\": \"web\","
                            + " \"filters\": [{\"type\": \"allow\"}, {\"type\": \"add-header\"}]}"));

            assertThat(config.pipelines()).allSatisfy(p -> assertThat(p.filters()).isNotEmpty());
        }
    }

    // ---- health checks ---------------------------------------------------------------------

    @Nested
    class HealthChecks {

        @Test
        void runtimeFieldsAreSplitFromTheChecksOwnFields() throws ConfigException {
            LoadedConfig config = load(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"],
                     "healthCheck": {"type": "http", "path": "/healthz", "interval": "2s", "timeout": "500ms",
                                     "healthyThreshold": 4, "unhealthyThreshold": 6}}
                    """));

            LoadedConfig.Upstream web = config.upstreams().get(0);
            assertThat(web.healthCheck().type()).isEqualTo("http");
            assertThat(web.healthCheck().config()).isEqualTo(new HttpCheckConfig("/healthz", 200));
            assertThat(web.healthCheckTiming()).isEqualTo(new HealthCheckTiming(Duration.ofSeconds(2), Duration.ofMillis(500), 4, 6));
        }

        @Test
        void timingDefaults() throws ConfigException {
            LoadedConfig config = load(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "healthCheck": {"type": "http", "interval": "10s"}}
                    """));

            HealthCheckTiming timing = config.upstreams().get(0).healthCheckTiming();
            assertThat(timing.interval()).isEqualTo(Duration.ofSeconds(10));
            assertThat(timing.timeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(timing.healthyThreshold()).isEqualTo(2);
            assertThat(timing.unhealthyThreshold()).isEqualTo(3);
            assertThat(config.upstreams().get(0).healthCheck().config()).isEqualTo(new HttpCheckConfig("/", 200));
        }

        @Test
        void timeoutLongerThanIntervalIsAnErrorAtTimeout() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "healthCheck": {"type": "tcp", "interval": "1s", "timeout": "2s"}}
                    """), "upstreams[0].healthCheck.timeout", "at most the interval (1s)");
        }

        @Test
        void defaultTimeoutLongerThanAShortInterval() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "healthCheck": {"type": "tcp", "interval": "500ms"}}
                    """), "upstreams[0].healthCheck.timeout", "at most the interval (500ms)");
        }

        @Test
        void intervalTooShort() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "healthCheck": {"type": "tcp", "interval": "5ms", "timeout": "1ms"}}
                    """), "upstreams[0].healthCheck.interval", "at least 10ms");
        }

        @Test
        void thresholdBelowOne() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "healthCheck": {"type": "tcp", "unhealthyThreshold": 0}}
                    """), "upstreams[0].healthCheck.unhealthyThreshold", "must be at least 1");
        }

        @Test
        void badRuntimeFieldIsReportedAtTheHealthCheck() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "healthCheck": {"type": "tcp", "interval": "often"}}
                    """), "upstreams[0].healthCheck.interval", "expected a duration like", "\"often\"");
        }

        @Test
        void badFieldOfTheCheckItself() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "healthCheck": {"type": "http", "expectStatus": "200"}}
                    """), "upstreams[0].healthCheck.expectStatus", "expected an integer, got the string \"200\"");
        }

        @Test
        void unknownFieldListsTheRuntimeFieldsToo() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "healthCheck": {"type": "tcp", "intervall": "2s"}}
                    """), "upstreams[0].healthCheck.intervall", "unknown field",
                    "expected one of [healthyThreshold, interval, timeout, unhealthyThreshold]");
        }

        @Test
        void errorsInBothPartsAreReported() {
            List<ConfigError> errors = errors(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"],
                     "healthCheck": {"type": "http", "path": 1, "healthyThreshold": 0}}
                    """));

            assertThat(errors).extracting(ConfigError::path).containsExactlyInAnyOrder(
                    "upstreams[0].healthCheck.healthyThreshold", "upstreams[0].healthCheck.path");
        }

        @Test
        void healthCheckThatIsNotAnObject() {
            assertOnlyError(withUpstreams("""
                    {"name": "web", "endpoints": ["127.0.0.1:8081"], "healthCheck": "tcp"}
                    """), "upstreams[0].healthCheck", "expected an object");
        }
    }

    // ---- many errors at once ---------------------------------------------------------------

    @Test
    void everyErrorOfAFileIsReported() {
        List<ConfigError> errors = errors("""
                {
                  "drainTimeout": "soon",
                  "pipelines": [
                    {"name": "a", "listen": "127.0.0.1:9000", "protocol": {"type": "tcp", "connectTimeout": "2 sec"}, "upstream": "web"},
                    {"name": "b", "listen": "127.0.0.1:9001", "protocol": {"type": "udp"}, "upstream": "web"},
                    {"name": "c", "listen": "127.0.0.1:9002", "protocol": {"type": "http"},
                     "routes": [{"match": {"host": "x"}, "upstream": "web"}, {"upstream": "missing"}]},
                    {"name": "d", "listen": "127.0.0.1:9002", "protocol": {"type": "respond"}},
                    {"name": "e", "listen": "127.0.0.1:9004", "protocol": {"type": "respond"}, "colour": "blue"}
                  ],
                  "upstreams": [
                    {"name": "web", "endpoints": ["127.0.0.1:8081"]},
                    {"name": "api", "endpoints": [{"address": "127.0.0.1:8082", "weight": 5000}]},
                    {"name": "db", "endpoints": ["127.0.0.1:5432"], "balancer": {"type": "fastest"}}
                  ],
                  "extra": true
                }
                """);

        assertThat(errors).extracting(ConfigError::path).containsExactlyInAnyOrder(
                "drainTimeout",
                "pipelines[0].protocol.connectTimeout",
                "pipelines[1].protocol.type",
                "pipelines[2].routes[1].upstream",
                "pipelines[3].listen",
                "pipelines[4].colour",
                "upstreams[1].endpoints[0].weight",
                "upstreams[2].balancer.type",
                "extra");
        assertThat(errors).hasSize(9);
        assertThat(errors).filteredOn(e -> e.path().equals("pipelines[2].routes[1].upstream")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("the upstreams are [api, db, web]"));
        assertThat(errors).filteredOn(e -> e.path().equals("pipelines[3].listen")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("already the address of pipelines[2]"));
    }

    @Test
    void errorsOfSeveralPipelinesAreNotCutShortByTheFirst() {
        List<ConfigError> errors = errors(file(
                pipeline("{\"type\": \"tcp\", \"bogus\": 1}", ", \"upstream\": \"web\"") + ","
                        + "{\"name\": \"b\", \"listen\": \"127.0.0.1:9001\", \"protocol\": {\"type\": \"tcp\", \"connectAttempts\": 0}, \"upstream\": \"web\"},"
                        + "{\"name\": \"c\", \"listen\": \"127.0.0.1:9002\", \"protocol\": {\"type\": \"tcp\"}, \"upstream\": \"web\","
                        + " \"filters\": [{\"type\": \"add-header\"}]}"));

        assertThat(errors).containsExactly(
                new ConfigError("pipelines[0].protocol.bogus", "unknown field; expected one of [connectAttempts, connectTimeout]"),
                new ConfigError("pipelines[1].protocol.connectAttempts", "expected 1 to 10, got 0"),
                new ConfigError("pipelines[2].filters[0].type",
                        "filter 'add-header' cannot run in a pipeline of protocol 'tcp', which runs connection filters only"));
    }
}
