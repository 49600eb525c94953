package io.junction.testplugin.beta;

import io.junction.api.filter.ConnectionFilter;
import io.junction.api.filter.Filter;
import io.junction.api.filter.FilterExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import jakarta.inject.Inject;

/** {@code "deny-all"}: a connection filter that refuses every connection and counts them. */
public final class DenyAllExtension implements FilterExtension<DenyAllExtension.Config> {

    /** @param metric name of the counter of refused connections */
    public record Config(String metric) {
        public Config {
            metric = metric == null ? "test.denied" : metric;
        }
    }

    @Override
    public String type() {
        return "deny-all";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Class<? extends Filter> implementation() {
        return DenyAll.class;
    }

    /** Refuses every connection. */
    public static final class DenyAll implements ConnectionFilter {
        private final Counter denied;

        @Inject
        public DenyAll(Config config, MeterRegistry metrics) {
            this.denied = metrics.counter(config.metric());
        }

        @Override
        public boolean accept(Channel channel) {
            denied.increment();
            return false;
        }
    }
}
