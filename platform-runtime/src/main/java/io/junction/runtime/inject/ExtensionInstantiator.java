package io.junction.runtime.inject;

import com.google.inject.AbstractModule;
import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.UpstreamRegistry;
import io.junction.runtime.config.BoundExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Builds extension implementations by injection. The root injector binds the platform services;
 * each extension instance gets a child injector that also binds its config record (and, for a
 * protocol handler, its pipeline). Child injectors require explicit bindings so that no plugin
 * class is ever bound just-in-time into the root injector, which would pin the plugin's layer.
 */
public final class ExtensionInstantiator {

    private final Injector root;

    public ExtensionInstantiator(MeterRegistry metrics, UpstreamRegistry upstreams, EventLoops eventLoops,
                                 ScheduledExecutorService scheduler) {
        this.root = Guice.createInjector(Stage.PRODUCTION, new AbstractModule() {
            @Override
            protected void configure() {
                binder().requireExplicitBindings();
                bind(MeterRegistry.class).toInstance(metrics);
                bind(UpstreamRegistry.class).toInstance(upstreams);
                bind(EventLoops.class).toInstance(eventLoops);
                bind(ScheduledExecutorService.class).toInstance(scheduler);
            }
        });
    }

    /** Instantiates {@code bound}'s implementation. */
    public <T> T create(BoundExtension bound, Class<T> contract) throws ExtensionException {
        return create(bound, contract, binder -> { });
    }

    /**
     * Instantiates {@code bound}'s implementation with extra bindings, e.g. the pipeline.
     *
     * @throws ExtensionException naming the config path when the class cannot be built
     */
    public <T> T create(BoundExtension bound, Class<T> contract, Consumer<com.google.inject.Binder> extra)
            throws ExtensionException {
        Class<?> implementation = bound.extension().extension().implementation();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(bound.extension().classLoader());
        try {
            Injector child = root.createChildInjector(new AbstractModule() {
                @Override
                @SuppressWarnings({"unchecked", "rawtypes"})
                protected void configure() {
                    binder().requireExplicitBindings();
                    bind((Class) bound.config().getClass()).toInstance(bound.config());
                    bind(implementation);
                    extra.accept(binder());
                }
            });
            return contract.cast(child.getInstance(implementation));
        } catch (CreationException | ConfigurationException e) {
            throw new ExtensionException(bound.path() + ": " + bound.extension().kind().label() + " '" + bound.type()
                    + "' (" + implementation.getName() + ") cannot be built: " + firstMessage(e.getMessage()), e);
        } catch (ProvisionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ExtensionException(bound.path() + ": " + bound.extension().kind().label() + " '" + bound.type()
                    + "' failed to start: " + cause.getMessage(), cause);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static String firstMessage(String message) {
        if (message == null) {
            return "unknown error";
        }
        String[] lines = message.split("\n");
        for (String line : lines) {
            String t = line.trim();
            if (t.matches("\\d+\\).*") || t.startsWith("[Guice/")) {
                return t;
            }
        }
        return lines[0];
    }
}
