package io.junction.plugin.healthchecks;

import io.junction.api.health.HealthCheckResult;
import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One probe over one connection: its stage completes once, with the first result, and the
 * connection is closed whichever way the probe ends — a verdict, a failed connect, or the timeout.
 * Everything but {@link #start} runs on the connection's event loop.
 */
final class Probe {

    private final CompletableFuture<HealthCheckResult> result = new CompletableFuture<>();
    private Channel channel;
    private ScheduledFuture<?> timer;

    /** A probe not tied to a connection (yet): {@link #start} ties it; tests drive handlers with it alone. */
    Probe() {
    }

    /**
     * Connects to {@code endpoint}; once the channel is registered, {@code pipeline} adds the
     * probe's handlers, which report through {@link #pass} and {@link #fail}.
     */
    static CompletionStage<HealthCheckResult> start(EventLoops eventLoops, Endpoint endpoint, Duration timeout,
            BiConsumer<Channel, Probe> pipeline) {
        Probe probe = new Probe();
        long timeoutMillis = Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        ChannelFuture connect = new Bootstrap()
                .group(eventLoops.group())
                .channelFactory(eventLoops.socketChannelFactory(endpoint.address()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMillis)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        probe.channel = ch;
                        probe.timer = ch.eventLoop().schedule(() -> probe.fail("timed out after " + timeoutMillis + "ms"),
                                timeoutMillis, TimeUnit.MILLISECONDS);
                        pipeline.accept(ch, probe);
                    }
                })
                .connect(endpoint.address());
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                probe.fail(describeConnectFailure(f.cause()));
            }
        });
        return probe.result;
    }

    void pass(String detail) {
        finish(HealthCheckResult.pass(detail));
    }

    void fail(String detail) {
        finish(HealthCheckResult.fail(detail));
    }

    CompletionStage<HealthCheckResult> result() {
        return result;
    }

    /** Whether a verdict was reached; later events are ignored (and their buffers released). */
    boolean done() {
        return result.isDone();
    }

    private void finish(HealthCheckResult outcome) {
        result.complete(outcome);
        if (timer != null) {
            timer.cancel(false);
        }
        if (channel != null) {
            channel.close();
        }
    }

    static String describeConnectFailure(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof ConnectException && message.toLowerCase(Locale.ROOT).contains("refused")) {
            return "connect refused";
        }
        return "connect failed: " + message;
    }

    /** A short, single-line rendering of an error for a result's detail. */
    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        message = message.replaceAll("\\s+", " ");
        return message.length() > 120 ? message.substring(0, 117) + "..." : message;
    }
}
