package io.junction.runtime.config;

import io.junction.api.config.ConfigDoc;
import io.junction.api.config.DataSize;
import io.junction.api.filter.ConnectionFilter;
import io.junction.api.filter.Filter;
import io.junction.api.filter.FilterExtension;
import io.junction.api.health.HealthCheck;
import io.junction.api.health.HealthCheckExtension;
import io.junction.api.health.HealthCheckResult;
import io.junction.api.protocol.ProtocolHandler;
import io.junction.api.protocol.ProtocolHandlerExtension;
import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.BalancerExtension;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import io.junction.runtime.plugin.ExtensionKind;
import io.junction.runtime.plugin.ExtensionRegistry;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Small extensions, registered in code, that stand in for the real plugins in config tests:
 * <ul>
 *   <li>protocol {@code tcp}: no route match, connection filters only, config {@link TcpConfig};</li>
 *   <li>protocol {@code respond}: answers by itself ({@code usesUpstreams() == false});</li>
 *   <li>protocol {@code http}: routes match on {@link HttpMatch}, runs {@link RequestFilter}s;</li>
 *   <li>filters {@code allow} (a {@link ConnectionFilter}), {@code add-header} (a {@link RequestFilter}) and
 *       {@code trace} (a {@link TraceFilter}, the contract of no registered protocol);</li>
 *   <li>balancers {@code round-robin} and {@code least-connections} (the latter with a config);</li>
 *   <li>health checks {@code tcp} (no config) and {@code http} ({@link HttpCheckConfig}).</li>
 * </ul>
 */
final class TestExtensions {

    private TestExtensions() {
    }

    /** A registry holding every test extension. */
    static ExtensionRegistry registry() {
        return new ExtensionRegistry()
                .register(ExtensionKind.PROTOCOL, new TcpProtocol())
                .register(ExtensionKind.PROTOCOL, new RespondProtocol())
                .register(ExtensionKind.PROTOCOL, new HttpProtocol())
                .register(ExtensionKind.FILTER, new AllowFilterExtension())
                .register(ExtensionKind.FILTER, new AddHeaderFilterExtension())
                .register(ExtensionKind.FILTER, new TraceFilterExtension())
                .register(ExtensionKind.BALANCER, new RoundRobinExtension())
                .register(ExtensionKind.BALANCER, new LeastConnectionsExtension())
                .register(ExtensionKind.HEALTH_CHECK, new TcpCheckExtension())
                .register(ExtensionKind.HEALTH_CHECK, new HttpCheckExtension());
    }

    // ---- config records ----------------------------------------------------------------------

    @ConfigDoc("Layer 4 forwarding settings.")
    record TcpConfig(
            @ConfigDoc(value = "Connect timeout.", defaultValue = "5s") Duration connectTimeout,
            @ConfigDoc(value = "Endpoints to try.", defaultValue = "3") Integer connectAttempts) {

        TcpConfig {
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            connectAttempts = connectAttempts == null ? 3 : connectAttempts;
            if (connectAttempts < 1 || connectAttempts > 10) {
                throw new IllegalArgumentException("connectAttempts: expected 1 to 10, got " + connectAttempts);
            }
        }
    }

    @ConfigDoc("A fixed response.")
    record RespondConfig(Integer status, String body, DataSize maxHeaderSize) {

        RespondConfig {
            status = status == null ? 200 : status;
            body = body == null ? "" : body;
            maxHeaderSize = maxHeaderSize == null ? DataSize.ofKilobytes(16) : maxHeaderSize;
        }
    }

    record HttpConfig(Duration idleTimeout) {
    }

    /** The route match of the {@code http} protocol. */
    record HttpMatch(String host, String pathPrefix) {

        HttpMatch {
            if (pathPrefix != null && !pathPrefix.startsWith("/")) {
                throw new IllegalArgumentException("pathPrefix: must start with \"/\", got \"" + pathPrefix + "\"");
            }
        }
    }

    record NoConfig() {
    }

    record AllowConfig(List<String> cidrs) {
    }

    record AddHeaderConfig(String name, String value) {
    }

    record LeastConnectionsConfig(Integer choices) {
    }

    record HttpCheckConfig(String path, Integer expectStatus) {

        HttpCheckConfig {
            path = path == null ? "/" : path;
            expectStatus = expectStatus == null ? 200 : expectStatus;
        }
    }

    // ---- contracts and implementations (never instantiated by the config layer) ------------

    /** An exchange filter contract, like HTTP's request filters. */
    interface RequestFilter extends Filter {
        void onRequest(Object request);
    }

    /** An exchange filter contract no registered protocol runs. */
    interface TraceFilter extends Filter {
    }

    static final class Tracer implements TraceFilter {
    }

    static final class NoopHandler implements ProtocolHandler {
        @Override
        public void initChannel(Channel channel) {
        }
    }

    static final class AllowFilter implements ConnectionFilter {
        @Override
        public boolean accept(Channel channel) {
            return true;
        }
    }

    static final class AddHeaderFilter implements RequestFilter {
        @Override
        public void onRequest(Object request) {
        }
    }

    static final class FirstBalancer implements Balancer {
        @Override
        public Endpoint pick(List<Endpoint> candidates, PickContext context) {
            return candidates.get(0);
        }
    }

    static final class PassCheck implements HealthCheck {
        @Override
        public CompletionStage<HealthCheckResult> check(Endpoint endpoint, Duration timeout) {
            return CompletableFuture.completedFuture(HealthCheckResult.pass("ok"));
        }
    }

    // ---- extensions ------------------------------------------------------------------------

    static final class TcpProtocol implements ProtocolHandlerExtension<TcpConfig> {
        @Override
        public String type() {
            return "tcp";
        }

        @Override
        public Class<TcpConfig> configType() {
            return TcpConfig.class;
        }

        @Override
        public Class<? extends ProtocolHandler> implementation() {
            return NoopHandler.class;
        }

        @Override
        public String description() {
            return "Test TCP proxy.";
        }
    }

    static final class RespondProtocol implements ProtocolHandlerExtension<RespondConfig> {
        @Override
        public String type() {
            return "respond";
        }

        @Override
        public Class<RespondConfig> configType() {
            return RespondConfig.class;
        }

        @Override
        public Class<? extends ProtocolHandler> implementation() {
            return NoopHandler.class;
        }

        @Override
        public boolean usesUpstreams() {
            return false;
        }
    }

    static final class HttpProtocol implements ProtocolHandlerExtension<HttpConfig> {
        @Override
        public String type() {
            return "http";
        }

        @Override
        public Class<HttpConfig> configType() {
            return HttpConfig.class;
        }

        @Override
        public Class<? extends ProtocolHandler> implementation() {
            return NoopHandler.class;
        }

        @Override
        public Class<?> routeMatchType() {
            return HttpMatch.class;
        }

        @Override
        public Class<? extends Filter> exchangeFilterContract() {
            return RequestFilter.class;
        }
    }

    static final class AllowFilterExtension implements FilterExtension<AllowConfig> {
        @Override
        public String type() {
            return "allow";
        }

        @Override
        public Class<AllowConfig> configType() {
            return AllowConfig.class;
        }

        @Override
        public Class<? extends Filter> implementation() {
            return AllowFilter.class;
        }
    }

    static final class AddHeaderFilterExtension implements FilterExtension<AddHeaderConfig> {
        @Override
        public String type() {
            return "add-header";
        }

        @Override
        public Class<AddHeaderConfig> configType() {
            return AddHeaderConfig.class;
        }

        @Override
        public Class<? extends Filter> implementation() {
            return AddHeaderFilter.class;
        }
    }

    static final class TraceFilterExtension implements FilterExtension<NoConfig> {
        @Override
        public String type() {
            return "trace";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public Class<? extends Filter> implementation() {
            return Tracer.class;
        }
    }

    static final class RoundRobinExtension implements BalancerExtension<NoConfig> {
        @Override
        public String type() {
            return "round-robin";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public Class<? extends Balancer> implementation() {
            return FirstBalancer.class;
        }
    }

    static final class LeastConnectionsExtension implements BalancerExtension<LeastConnectionsConfig> {
        @Override
        public String type() {
            return "least-connections";
        }

        @Override
        public Class<LeastConnectionsConfig> configType() {
            return LeastConnectionsConfig.class;
        }

        @Override
        public Class<? extends Balancer> implementation() {
            return FirstBalancer.class;
        }
    }

    static final class TcpCheckExtension implements HealthCheckExtension<NoConfig> {
        @Override
        public String type() {
            return "tcp";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public Class<? extends HealthCheck> implementation() {
            return PassCheck.class;
        }
    }

    static final class HttpCheckExtension implements HealthCheckExtension<HttpCheckConfig> {
        @Override
        public String type() {
            return "http";
        }

        @Override
        public Class<HttpCheckConfig> configType() {
            return HttpCheckConfig.class;
        }

        @Override
        public Class<? extends HealthCheck> implementation() {
            return PassCheck.class;
        }
    }
}
