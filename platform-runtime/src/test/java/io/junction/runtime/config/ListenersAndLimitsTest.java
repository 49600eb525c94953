package io.junction.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Several listen addresses, PROXY protocol acceptance and connection limits of a pipeline. */
class ListenersAndLimitsTest {

    private static LoadedConfig load(String pipeline) throws ConfigException {
        return new ConfigLoader(TestExtensions.registry()).parse("""
                { "pipelines": [ %s ], "upstreams": [ {"name": "web", "endpoints": ["127.0.0.1:8081"]} ] }
                """.formatted(pipeline), "test.json");
    }

    private static List<ConfigError> errors(String pipeline) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(pipeline));
        assertThat(e).as("the config should be refused").isNotNull();
        return e.errors();
    }

    @Test
    void listenTakesOneAddressOrSeveral() throws ConfigException {
        LoadedConfig one = load("""
                {"name": "a", "listen": "127.0.0.1:9000", "protocol": {"type": "tcp"}, "upstream": "web"}""");
        assertThat(one.pipelines().get(0).listen()).containsExactly(new HostPort("127.0.0.1", 9000));
        LoadedConfig two = load("""
                {"name": "a", "listen": ["127.0.0.1:9000", "127.0.0.1:9001"], "protocol": {"type": "tcp"}, "upstream": "web"}""");
        assertThat(two.pipelines().get(0).listen()).containsExactly(new HostPort("127.0.0.1", 9000), new HostPort("127.0.0.1", 9001));
    }

    @Test
    void defaultsAreNoProxyProtocolAndAGenerousConnectionCap() throws ConfigException {
        LoadedConfig.Pipeline p = load("""
                {"name": "a", "listen": "127.0.0.1:9000", "protocol": {"type": "tcp"}, "upstream": "web"}""").pipelines().get(0);
        assertThat(p.acceptProxyProtocol()).isFalse();
        assertThat(p.limits()).isEqualTo(new LimitsSection(100_000, null, null));
    }

    @Test
    void theSameAddressTwiceIsAnErrorAtItsIndex() {
        assertThat(errors("""
                {"name": "a", "listen": ["127.0.0.1:9000", "127.0.0.1:9000"], "protocol": {"type": "tcp"}, "upstream": "web"}"""))
                .extracting(ConfigError::toString)
                .containsExactly("pipelines[0].listen[1]: 127.0.0.1:9000 is already the address of pipelines[0]; each pipeline needs its own address");
    }

    @Test
    void anEmptyListOrABadAddressInTheListIsAnError() {
        assertThat(errors("""
                {"name": "a", "listen": [], "protocol": {"type": "tcp"}, "upstream": "web"}"""))
                .extracting(ConfigError::path).containsExactly("pipelines[0].listen");
        assertThat(errors("""
                {"name": "a", "listen": ["127.0.0.1:9000", "nowhere"], "protocol": {"type": "tcp"}, "upstream": "web"}"""))
                .singleElement().satisfies(e -> {
                    assertThat(e.path()).isEqualTo("pipelines[0].listen");
                    assertThat(e.message()).contains("expected host:port").contains("nowhere");
                });
    }

    @Test
    void limitsAreCheckedWithTheirPaths() {
        assertThat(errors("""
                {"name": "a", "listen": "127.0.0.1:9000", "limits": {"maxConnections": 0}, "protocol": {"type": "tcp"}, "upstream": "web"}"""))
                .extracting(ConfigError::toString).containsExactly("pipelines[0].limits.maxConnections: must be at least 1, got 0");
        assertThat(errors("""
                {"name": "a", "listen": "127.0.0.1:9000", "limits": {"acceptRate": -5}, "protocol": {"type": "tcp"}, "upstream": "web"}"""))
                .extracting(ConfigError::toString).containsExactly("pipelines[0].limits.acceptRate: must be at least 1 per second, got -5");
        assertThat(errors("""
                {"name": "a", "listen": "127.0.0.1:9000", "limits": {"perIp": 5}, "protocol": {"type": "tcp"}, "upstream": "web"}"""))
                .singleElement().satisfies(e -> {
                    assertThat(e.path()).isEqualTo("pipelines[0].limits.perIp");
                    assertThat(e.message()).contains("acceptRate, maxConnections, maxConnectionsPerClient");
                });
        assertThat(errors("""
                {"name": "a", "listen": "127.0.0.1:9000", "acceptProxyProtocol": "yes", "protocol": {"type": "tcp"}, "upstream": "web"}"""))
                .extracting(ConfigError::path).containsExactly("pipelines[0].acceptProxyProtocol");
    }
}
