package io.junction.runtime.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.api.protocol.ProtocolHandlerExtension;
import io.junction.runtime.plugin.ExtensionKind;
import io.junction.runtime.plugin.ExtensionRegistry;
import io.junction.runtime.plugin.RegisteredExtension;
import io.junction.runtime.tls.ClientTls;
import io.junction.runtime.tls.ServerTls;
import io.junction.runtime.tls.ServerTlsLoader;
import io.junction.runtime.tls.UpstreamTlsLoader;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a config file into a {@link LoadedConfig}, collecting every error with its JSON path
 * before failing, so that one typo does not hide the next.
 */
public final class ConfigLoader {

    /** The balancer used when an upstream names none. */
    public static final String DEFAULT_BALANCER = "round-robin";

    private final ObjectMapper mapper;
    private final ExtensionRegistry registry;
    private final ExtensionBinder binder;

    public ConfigLoader(ExtensionRegistry registry) {
        this.mapper = ConfigMapper.create();
        this.registry = registry;
        this.binder = new ExtensionBinder(mapper, registry);
    }

    public LoadedConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of(new ConfigError("", "no such file")));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of(new ConfigError("", "cannot be read: " + e.getMessage())));
        }
        Path directory = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), directory == null ? Path.of("").toAbsolutePath() : directory);
    }

    /** As {@link #parse(String, String, Path)}, with relative file names (TLS certificates) taken from the current directory. */
    public LoadedConfig parse(String text, String source) throws ConfigException {
        return parse(text, source, Path.of("").toAbsolutePath());
    }

    /** @param directory where relative file names in the config start from: the config file's directory */
    public LoadedConfig parse(String text, String source, Path directory) throws ConfigException {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new ConfigException(source, List.of(new ConfigError("", where + "not valid JSON: " + e.getOriginalMessage())));
        }
        List<ConfigError> errors = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new ConfigException(source, List.of(new ConfigError("", "expected a JSON object with \"pipelines\" and \"upstreams\"")));
        }
        checkFields((ObjectNode) root, "", JunctionFile.class, errors);

        Optional<HostPort> admin = Optional.empty();
        if (root.hasNonNull("admin")) {
            admin = bindRecord(root.get("admin"), "admin", AdminSection.class, errors).map(a -> HostPort.parse(a.listen()));
        }
        Duration drainTimeout = JunctionFile.DEFAULT_DRAIN_TIMEOUT;
        if (root.hasNonNull("drainTimeout")) {
            drainTimeout = bindRecord(root.get("drainTimeout"), "drainTimeout", Duration.class, errors).orElse(drainTimeout);
        }

        // Names and addresses are checked across every element as written, even one with errors of its own,
        // so that fixing those does not reveal a clash only on the next run. Routes may refer to any upstream
        // declared: one with errors of its own is not reported again as missing by every route to it.
        List<LoadedConfig.Upstream> upstreams = new ArrayList<>();
        List<Element> upstreamElements = elements(root, "upstreams", false, errors);
        for (Element e : upstreamElements) {
            bindRecord(e.json, e.path, UpstreamSection.class, errors).flatMap(u -> upstream(u, e.path, directory, errors)).ifPresent(upstreams::add);
        }
        Set<String> upstreamNames = uniqueNames(upstreamElements, "upstream", errors);

        List<LoadedConfig.Pipeline> pipelines = new ArrayList<>();
        List<Element> pipelineElements = elements(root, "pipelines", true, errors);
        for (Element e : pipelineElements) {
            bindRecord(e.json, e.path, PipelineSection.class, errors)
                    .flatMap(p -> pipeline(p, e.path, upstreamNames, directory, errors)).ifPresent(pipelines::add);
        }
        uniqueNames(pipelineElements, "pipeline", errors);
        checkAddresses(admin, pipelineElements, errors);

        if (!errors.isEmpty()) {
            throw new ConfigException(source, inFileOrder(root, errors));
        }
        return new LoadedConfig(source, root, admin, drainTimeout, List.copyOf(pipelines), List.copyOf(upstreams));
    }

    private Optional<LoadedConfig.Pipeline> pipeline(PipelineSection section, String path, Set<String> upstreams,
                                                     Path directory, List<ConfigError> errors) {
        int before = errors.size();
        ServerTls tls = section.tls() == null ? null
                : ServerTlsLoader.load(section.tls(), path + ".tls", directory, errors).orElse(null);
        Optional<BoundExtension> protocol = binder.bind(ExtensionKind.PROTOCOL, section.protocol().json(),
                path + ".protocol", errors);
        List<BoundExtension> filters = new ArrayList<>();
        for (int i = 0; i < section.filters().size(); i++) {
            String filterPath = path + ".filters[" + i + "]";
            binder.bind(ExtensionKind.FILTER, section.filters().get(i).json(), filterPath, errors)
                    .ifPresent(f -> {
                        protocol.ifPresent(p -> checkFilterFits(f, p, errors));
                        filters.add(f);
                    });
        }
        List<LoadedConfig.Route> routes = new ArrayList<>();
        if (protocol.isEmpty()) {
            // The protocol is unknown or misconfigured; still report dangling upstream names.
            List<RouteSection> sections = section.routes() != null ? section.routes()
                    : section.upstream() != null ? List.of(new RouteSection(null, null, null, section.upstream())) : List.of();
            for (int i = 0; i < sections.size(); i++) {
                String upstreamPath = (section.routes() != null ? path + ".routes[" + i + "]" : path) + ".upstream";
                if (sections.get(i).upstream() != null && !upstreams.contains(sections.get(i).upstream())) {
                    errors.add(new ConfigError(upstreamPath, "no upstream named '" + sections.get(i).upstream()
                            + "'; the upstreams are " + new TreeSet<>(upstreams)));
                }
            }
        } else {
            ProtocolHandlerExtension<?> extension = (ProtocolHandlerExtension<?>) protocol.get().extension().extension();
            List<RouteSection> sections = section.routes() != null ? section.routes()
                    : section.upstream() != null ? List.of(new RouteSection(null, null, null, section.upstream())) : List.of();
            String protocolName = "protocol '" + protocol.get().type() + "'";
            if (!extension.usesUpstreams() && !sections.isEmpty()) {
                errors.add(new ConfigError(path + (section.routes() != null ? ".routes" : ".upstream"),
                        protocolName + " answers by itself and takes no routes or upstream"));
            } else if (extension.usesUpstreams() && sections.isEmpty()) {
                errors.add(new ConfigError(path, protocolName + " needs \"upstream\": \"<name>\" or \"routes\""));
            }
            if (extension.routeMatchType() == null && sections.size() > 1) {
                errors.add(new ConfigError(path + ".routes", protocolName
                        + " does not look inside connections, so it takes one route; found " + sections.size()));
            }
            for (int i = 0; i < sections.size(); i++) {
                String routePath = section.routes() != null ? path + ".routes[" + i + "]" : path;
                String routeName = sections.get(i).name() != null ? sections.get(i).name() : "routes[" + i + "]";
                route(sections.get(i), routeName, routePath, section.routes() != null, extension, protocolName, upstreams, errors)
                        .ifPresent(routes::add);
            }
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new LoadedConfig.Pipeline(section.name(), path, section.listen().stream().map(HostPort::parse).toList(),
                section.acceptProxyProtocol(), section.limits(), tls,
                protocol.get(), List.copyOf(filters), List.copyOf(routes)));
    }

    private Optional<LoadedConfig.Route> route(RouteSection section, String name, String path, boolean inRoutes, ProtocolHandlerExtension<?> protocol,
                                               String protocolName, Set<String> upstreams, List<ConfigError> errors) {
        String upstreamPath = path + ".upstream";
        boolean ok = true;
        if (section.upstream() != null && !upstreams.contains(section.upstream())) {
            errors.add(new ConfigError(upstreamPath, "no upstream named '" + section.upstream() + "'; the upstreams are "
                    + new TreeSet<>(upstreams)));
            ok = false;
        }
        Object match = null;
        if (section.match() != null) {
            if (protocol.routeMatchType() == null) {
                errors.add(new ConfigError(path + ".match", protocolName + " does not look inside connections; remove \"match\""));
                return Optional.empty();
            }
            match = bindRecord(section.match(), path + ".match", protocol.routeMatchType(), errors).orElse(null);
            ok &= match != null;
        }
        Object action = null;
        if (section.action() != null) {
            if (protocol.routeActionType() == null) {
                errors.add(new ConfigError(path + ".action", protocolName + " routes take no action; remove \"action\""));
                return Optional.empty();
            }
            action = bindRecord(section.action(), path + ".action", protocol.routeActionType(), errors).orElse(null);
            ok &= action != null;
        }
        return ok ? Optional.of(new LoadedConfig.Route(name, match, action, section.upstream())) : Optional.empty();
    }

    private static void checkFilterFits(BoundExtension filter, BoundExtension protocol, List<ConfigError> errors) {
        Class<?> implementation = filter.extension().extension().implementation();
        if (io.junction.api.filter.ConnectionFilter.class.isAssignableFrom(implementation)) {
            return;
        }
        Class<?> contract = ((ProtocolHandlerExtension<?>) protocol.extension().extension()).exchangeFilterContract();
        if (contract == null || !contract.isAssignableFrom(implementation)) {
            errors.add(new ConfigError(filter.path() + ".type", "filter '" + filter.type() + "' cannot run in a pipeline of protocol '"
                    + protocol.type() + "', which runs " + (contract == null ? "connection filters only" : contract.getSimpleName() + "s")));
        }
    }

    private Optional<LoadedConfig.Upstream> upstream(UpstreamSection section, String path, Path directory, List<ConfigError> errors) {
        int before = errors.size();
        for (int i = 0; i < section.endpoints().size(); i++) {
            try {
                section.endpoints().get(i).hostPort().resolve();
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(path + ".endpoints[" + i + "]", e.getMessage()));
            }
        }
        Optional<BoundExtension> balancer;
        if (section.balancer() != null) {
            balancer = binder.bind(ExtensionKind.BALANCER, section.balancer().json(), path + ".balancer", errors);
        } else {
            Optional<RegisteredExtension> fallback = registry.find(ExtensionKind.BALANCER, DEFAULT_BALANCER);
            if (fallback.isEmpty()) {
                errors.add(new ConfigError(path + ".balancer", "no balancer given and the default '" + DEFAULT_BALANCER
                        + "' is not loaded; the balancer types loaded are " + registry.types(ExtensionKind.BALANCER)));
                balancer = Optional.empty();
            } else {
                balancer = binder.bindConfig(fallback.get(), mapper.createObjectNode(), path + ".balancer", errors);
            }
        }
        BoundExtension healthCheck = null;
        HealthCheckTiming timing = null;
        if (section.healthCheck() != null) {
            String checkPath = path + ".healthCheck";
            ObjectNode own = section.healthCheck().json().deepCopy();
            ObjectNode runtimeFields = mapper.createObjectNode();
            for (String field : HealthCheckTiming.FIELDS) {
                if (own.has(field)) {
                    runtimeFields.set(field, own.remove(field));
                }
            }
            timing = bindRecord(runtimeFields, checkPath, HealthCheckTiming.class, errors).orElse(null);
            healthCheck = binder.bind(ExtensionKind.HEALTH_CHECK, own, checkPath, HealthCheckTiming.FIELDS, errors).orElse(null);
        }
        BoundExtension discovery = section.discovery() == null ? null
                : binder.bind(ExtensionKind.DISCOVERY, section.discovery().json(), path + ".discovery", errors).orElse(null);
        ClientTls tls = section.tls() == null ? null
                : UpstreamTlsLoader.load(section.tls(), path + ".tls", section.name(), section.protocol(), directory, errors)
                        .orElse(null);
        if (errors.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new LoadedConfig.Upstream(section.name(), path, section.endpoints(), balancer.orElseThrow(),
                healthCheck, timing, tls, discovery, section.outlierDetection(), section.circuitBreaker(), section.slowStart(),
                section.panicThreshold(), section.protocol()));
    }

    private <T> Optional<T> bindRecord(JsonNode json, String path, Class<T> type, List<ConfigError> errors) {
        if ((type.isRecord()) && !json.isObject()) {
            errors.add(new ConfigError(path, "expected an object, got " + describe(json)));
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(mapper.treeToValue(json, type));
        } catch (JsonMappingException e) {
            errors.add(JacksonErrors.describe(path, e));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            errors.add(new ConfigError(path, e.getMessage()));
        }
        return Optional.empty();
    }

    private record Element(JsonNode json, String path) {
    }

    private static List<Element> elements(JsonNode root, String field, boolean required, List<ConfigError> errors) {
        JsonNode array = root.get(field);
        if (array == null || array.isNull()) {
            if (required) {
                errors.add(new ConfigError(field, "is required: an array of " + field));
            }
            return List.of();
        }
        if (!array.isArray()) {
            errors.add(new ConfigError(field, "expected an array, got " + describe(array)));
            return List.of();
        }
        if (required && array.isEmpty()) {
            errors.add(new ConfigError(field, "needs at least one element"));
        }
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            elements.add(new Element(array.get(i), field + "[" + i + "]"));
        }
        return elements;
    }

    private static void checkFields(ObjectNode node, String path, Class<? extends Record> type, List<ConfigError> errors) {
        Set<String> known = new TreeSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            known.add(c.getName());
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name) && !"$schema".equals(name)) { // "$schema" lets editors find the schema
                
                errors.add(new ConfigError(JacksonErrors.join(path, name), "unknown field; expected one of " + known));
            }
        }
    }

    /** Reports elements named alike; returns the names. Missing or invalid names are the records' own errors. */
    private static Set<String> uniqueNames(List<Element> elements, String what, List<ConfigError> errors) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (Element e : elements) {
            JsonNode name = e.json.path("name");
            if (!name.isTextual() || name.asText().isBlank()) {
                continue;
            }
            String first = seen.putIfAbsent(name.asText(), e.path);
            if (first != null) {
                errors.add(new ConfigError(e.path + ".name", "another " + what + " (" + first + ") is already named '"
                        + name.asText() + "'"));
            }
        }
        return new LinkedHashSet<>(seen.keySet());
    }

    private static void checkAddresses(Optional<HostPort> admin, List<Element> pipelines, List<ConfigError> errors) {
        Map<String, String> seen = new HashMap<>();
        Map<HostPort, String> bound = new LinkedHashMap<>();
        admin.ifPresent(a -> {
            seen.put(key(a), "admin");
            bound.put(a, "admin");
        });
        for (Element e : pipelines) {
            JsonNode node = e.json.path("listen");
            List<JsonNode> texts = new ArrayList<>();
            if (node.isArray()) {
                node.forEach(texts::add);
            } else {
                texts.add(node);
            }
            for (int i = 0; i < texts.size(); i++) {
                String at = node.isArray() ? e.path + ".listen[" + i + "]" : e.path + ".listen";
                checkAddress(texts.get(i), e.path, at, seen, bound, errors);
            }
        }
    }

    private static void checkAddress(JsonNode text, String owner, String at, Map<String, String> seen,
                                     Map<HostPort, String> bound, List<ConfigError> errors) {
        HostPort listen;
        try {
            listen = HostPort.parse(text.isTextual() ? text.asText() : null);
        } catch (IllegalArgumentException invalid) {
            return; // reported by the pipeline's record
        }
        String first = seen.putIfAbsent(key(listen), owner);
        if (first != null) {
            errors.add(new ConfigError(at, listen + " is already the address of " + first
                    + "; each pipeline needs its own address"));
            return;
        }
        // A wildcard address (0.0.0.0, [::]) takes its port on every address, so it clashes with any other use of the port.
        for (Map.Entry<HostPort, String> other : bound.entrySet()) {
            if (wildcardClash(listen, other.getKey())) {
                errors.add(new ConfigError(at, listen + " overlaps " + other.getKey() + " of " + other.getValue()
                        + ", as a wildcard address takes the port on every address; each pipeline needs its own address"));
                break;
            }
        }
        bound.putIfAbsent(listen, owner);
    }

    private static boolean wildcardClash(HostPort a, HostPort b) {
        if (a.port() == 0 || a.port() != b.port()) {
            return false;
        }
        InetAddress x;
        InetAddress y;
        try {
            x = a.resolve().getAddress();
            y = b.resolve().getAddress();
        } catch (IllegalArgumentException unresolved) {
            return false;
        }
        return x.isAnyLocalAddress() && covers(x, y) || y.isAnyLocalAddress() && covers(y, x);
    }

    /** Whether binding {@code wildcard} takes the port of {@code other}: IPv6's [::] is dual-stack and covers IPv4 too. */
    private static boolean covers(InetAddress wildcard, InetAddress other) {
        return wildcard instanceof Inet6Address || other instanceof Inet4Address;
    }

    /** Errors grouped by top-level field, in the order those fields appear in the file. */
    private static List<ConfigError> inFileOrder(JsonNode root, List<ConfigError> errors) {
        List<String> fields = new ArrayList<>();
        root.fieldNames().forEachRemaining(fields::add);
        List<ConfigError> sorted = new ArrayList<>(errors);
        sorted.sort(java.util.Comparator.comparingInt(e -> {
            String top = e.path().split("[.\\[]", 2)[0];
            int index = fields.indexOf(top);
            return index < 0 ? fields.size() : index;
        }));
        return sorted;
    }

    private static String key(HostPort hp) {
        if (hp.port() == 0) {
            return hp + "#" + System.identityHashCode(hp); // ephemeral ports never clash
        }
        try {
            var address = hp.resolve();
            return (address.getAddress().isAnyLocalAddress() ? "*" : address.getAddress().getHostAddress()) + ":" + hp.port();
        } catch (IllegalArgumentException e) {
            return hp.toString();
        }
    }

    private static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "the string \"" + node.asText() + "\"";
        }
        if (node.isNumber()) {
            return "the number " + node;
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.toString();
    }
}
