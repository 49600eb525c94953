package io.junction.runtime.plugin;

import io.junction.api.Extension;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.lang.module.ResolvedModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads every plugin of a directory into its own {@link ModuleLayer} over the layer that holds
 * platform-api and the shared libraries, and collects their extensions.
 *
 * <p>Each entry of the directory is a plugin: a jar, or a folder holding the plugin jar (the one
 * with a descriptor) and its private dependencies. Modules resolve parent-first: a bundled copy of
 * a shared module is ignored with a warning, while a different module holding a shared package is
 * an error naming both jars. A plugin is loaded whole or not at all.
 */
public final class PluginLoader {

    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);

    /** Modules that reflect on plugin classes: config binding and injection. */
    private static final List<String> REFLECTING_MODULES = List.of("com.fasterxml.jackson.databind", "com.google.guice");

    private final ModuleLayer parent;
    private final Map<String, ResolvedModule> sharedPackages = new HashMap<>();

    public PluginLoader(ModuleLayer parent) {
        this.parent = parent;
        indexPackages(parent.configuration());
    }

    private void indexPackages(Configuration configuration) {
        for (ResolvedModule module : configuration.modules()) {
            for (String pkg : module.reference().descriptor().packages()) {
                sharedPackages.putIfAbsent(pkg, module);
            }
        }
        configuration.parents().forEach(this::indexPackages);
    }

    /** A loader over the layer that holds platform-api; fails when the runtime is not on the module path. */
    public static PluginLoader overPlatformLayer() {
        ModuleLayer layer = Extension.class.getModule().getLayer();
        if (layer == null) {
            throw new IllegalStateException(
                    "platform-api is not a named module: start Junction with bin/junction (module path), not the class path");
        }
        return new PluginLoader(layer);
    }

    /** Loads every plugin in {@code directory}; a directory that does not exist is an error of the set. */
    public PluginSet load(Path directory) {
        ExtensionRegistry registry = new ExtensionRegistry();
        List<LoadedPlugin> plugins = new ArrayList<>();
        List<PluginException> errors = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            errors.add(new PluginException(directory, "is not a directory; pass --plugins DIR"));
            return new PluginSet(plugins, registry, errors);
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(directory)) {
            entries = list.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar"))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            errors.add(new PluginException(directory, "cannot be listed: " + e.getMessage()));
            return new PluginSet(plugins, registry, errors);
        }
        for (Path entry : entries) {
            try {
                LoadedPlugin plugin = loadOne(entry, registry);
                plugin.extensions().forEach(registry::register);
                plugins.add(plugin);
            } catch (PluginException e) {
                errors.add(e);
            }
        }
        return new PluginSet(List.copyOf(plugins), registry, List.copyOf(errors));
    }

    private LoadedPlugin loadOne(Path entry, ExtensionRegistry registry) throws PluginException {
        PluginDescriptor descriptor = describe(entry);
        ModuleFinder finder = ModuleFinder.of(descriptor.jars().toArray(Path[]::new));
        Set<ModuleReference> found;
        try {
            found = finder.findAll();
        } catch (FindException e) {
            throw new PluginException(entry, "cannot be read as modules: " + rootMessage(e));
        }
        String mainModule = found.stream()
                .filter(ref -> ref.location().map(uri -> Path.of(uri).equals(descriptor.jar().toAbsolutePath())).orElse(false))
                .map(ref -> ref.descriptor().name())
                .findFirst()
                .orElseThrow(() -> new PluginException(descriptor.jar(), "is not a module"));

        Set<String> roots = new LinkedHashSet<>();
        for (ModuleReference ref : found) {
            String name = ref.descriptor().name();
            if (parent.findModule(name).isPresent()) {
                log.warn("plugin {} bundles module {}, which Junction already provides in lib/; the bundled copy is ignored",
                        fileOf(ref, entry), name);
                continue;
            }
            for (String pkg : ref.descriptor().packages()) {
                ResolvedModule shared = sharedPackages.get(pkg);
                if (shared != null) {
                    throw new PluginException(fileOf(ref, entry), "bundles package " + pkg + ", which the shared module "
                            + shared.name() + " (" + shared.reference().location().map(Object::toString).orElse("lib/")
                            + ") already provides; remove that library from the plugin");
                }
            }
            roots.add(name);
        }

        Configuration configuration;
        try {
            configuration = Configuration.resolveAndBind(ModuleFinder.of(), List.of(parent.configuration()), finder, roots);
        } catch (FindException | ResolutionException e) {
            throw new PluginException(entry, "fails to resolve: " + rootMessage(e)
                    + " (a plugin may require only the modules in lib/ and the jars in its own folder)");
        }
        ModuleLayer.Controller controller;
        try {
            controller = ModuleLayer.defineModulesWithOneLoader(configuration, List.of(parent), PluginLoader.class.getClassLoader());
        } catch (LayerInstantiationException | SecurityException e) {
            throw new PluginException(entry, "cannot be defined as a module layer: " + rootMessage(e));
        }
        ModuleLayer layer = controller.layer();
        openToReflectingModules(controller, layer);

        List<RegisteredExtension> extensions = new ArrayList<>();
        for (ExtensionKind kind : ExtensionKind.values()) {
            for (Extension<?, ?> extension : discover(layer, kind, entry)) {
                checkShape(kind, extension, entry);
                RegisteredExtension registered = new RegisteredExtension(kind, extension, descriptor);
                var clash = registry.conflict(kind, extension.type())
                        .or(() -> extensions.stream().filter(e -> e.kind() == kind && e.type().equals(extension.type())).findFirst());
                if (clash.isPresent()) {
                    throw new PluginException(entry, "declares " + kind.label() + " type '" + extension.type()
                            + "', which plugin " + clash.get().origin() + " already declares; remove one of the two plugins");
                }
                extensions.add(registered);
            }
        }
        if (extensions.isEmpty()) {
            log.warn("plugin {} provides no extensions (does its module-info declare 'provides'?)", entry);
        }
        return new LoadedPlugin(descriptor, layer, mainModule, List.copyOf(extensions));
    }

    private static PluginDescriptor describe(Path entry) throws PluginException {
        if (!Files.isDirectory(entry)) {
            if (!PluginDescriptor.hasDescriptor(entry)) {
                throw new PluginException(entry, "has no plugin descriptor " + PluginDescriptor.LOCATION);
            }
            return PluginDescriptor.read(entry, List.of(entry));
        }
        List<Path> jars;
        try (Stream<Path> list = Files.list(entry)) {
            jars = list.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new PluginException(entry, "cannot be listed: " + e.getMessage());
        }
        List<Path> withDescriptor = new ArrayList<>();
        for (Path jar : jars) {
            if (PluginDescriptor.hasDescriptor(jar)) {
                withDescriptor.add(jar);
            }
        }
        if (withDescriptor.size() != 1) {
            throw new PluginException(entry, "must hold exactly one jar with " + PluginDescriptor.LOCATION
                    + ", found " + withDescriptor.size() + " " + withDescriptor);
        }
        return PluginDescriptor.read(withDescriptor.get(0), jars);
    }

    private List<Extension<?, ?>> discover(ModuleLayer layer, ExtensionKind kind, Path entry) throws PluginException {
        List<Extension<?, ?>> extensions = new ArrayList<>();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try {
            ServiceLoader<? extends Extension<?, ?>> loader = ServiceLoader.load(layer, kind.service());
            // ServiceLoader also walks parent layers; keep the providers of this plugin only.
            for (ServiceLoader.Provider<? extends Extension<?, ?>> provider : loader.stream()
                    .filter(p -> p.type().getModule().getLayer() == layer).collect(Collectors.toList())) {
                Thread.currentThread().setContextClassLoader(provider.type().getClassLoader());
                extensions.add(provider.get());
            }
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            throw new PluginException(entry, "has a " + kind.label() + " extension that cannot be instantiated: "
                    + rootMessage(e));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        return extensions;
    }

    private static void checkShape(ExtensionKind kind, Extension<?, ?> extension, Path entry) throws PluginException {
        String name = extension.getClass().getName();
        String type = extension.type();
        if (type == null || !type.matches("[a-z][a-z0-9-]*")) {
            throw new PluginException(entry, name + " declares type name '" + type
                    + "'; type names are lower case letters, digits and dashes");
        }
        if (extension.configType() == null || extension.implementation() == null) {
            throw new PluginException(entry, name + " (type '" + type + "') must return a config type and an implementation");
        }
        if (!kind.contract().isAssignableFrom(extension.implementation())) {
            throw new PluginException(entry, name + " (type '" + type + "') implementation "
                    + extension.implementation().getName() + " does not implement " + kind.contract().getName());
        }
    }

    private void openToReflectingModules(ModuleLayer.Controller controller, ModuleLayer layer) {
        for (String target : REFLECTING_MODULES) {
            Module reflector = parent.findModule(target).orElse(null);
            if (reflector == null) {
                continue;
            }
            for (Module module : layer.modules()) {
                ModuleDescriptor descriptor = module.getDescriptor();
                if (descriptor.isOpen() || descriptor.isAutomatic()) {
                    continue; // already open to everyone
                }
                for (String pkg : module.getPackages()) {
                    controller.addOpens(module, pkg, reflector);
                }
            }
        }
    }

    private static Path fileOf(ModuleReference ref, Path fallback) {
        return ref.location().map(Path::of).orElse(fallback);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return t == e || t.getMessage() == null ? message : message + ": " + t.getMessage();
    }
}
