package io.junction.plugin.healthchecks;

import io.junction.api.health.HealthCheck;
import io.junction.api.health.HealthCheckResult;
import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Opens a TCP connection to the endpoint and closes it as soon as it is established. */
public final class TcpHealthCheck implements HealthCheck {

    private final EventLoops eventLoops;

    @Inject
    public TcpHealthCheck(EventLoops eventLoops) {
        this.eventLoops = eventLoops;
    }

    @Override
    public CompletionStage<HealthCheckResult> check(Endpoint endpoint, Duration timeout) {
        CompletableFuture<HealthCheckResult> result = new CompletableFuture<>();
        ChannelFuture connect = new Bootstrap()
                .group(eventLoops.group())
                .channelFactory(eventLoops.socketChannelFactory(endpoint.address()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())))
                .handler(new ChannelInboundHandlerAdapter())
                .connect(endpoint.address());
        connect.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                f.channel().close();
                result.complete(HealthCheckResult.pass("connected"));
            } else {
                result.complete(HealthCheckResult.fail("connect failed: " + f.cause().getMessage()));
            }
        });
        return result;
    }
}
