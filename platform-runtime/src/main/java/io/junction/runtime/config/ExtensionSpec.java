package io.junction.runtime.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.runtime.plugin.ExtensionKind;

/**
 * A JSON object naming an extension by {@code "type"}, kept as JSON until the extension's own
 * config record binds it. One record per extension point, so the schema knows which kind a field holds.
 */
public sealed interface ExtensionSpec permits ExtensionSpec.Protocol, ExtensionSpec.Filter, ExtensionSpec.Balancer, ExtensionSpec.HealthCheck,
        ExtensionSpec.Discovery {

    ObjectNode json();

    ExtensionKind kind();

    /** {@code "protocol": {"type": "tcp", ...}} */
    record Protocol(ObjectNode json) implements ExtensionSpec {
        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        public Protocol {
        }

        @Override
        public ExtensionKind kind() {
            return ExtensionKind.PROTOCOL;
        }
    }

    /** An element of {@code "filters"}. */
    record Filter(ObjectNode json) implements ExtensionSpec {
        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        public Filter {
        }

        @Override
        public ExtensionKind kind() {
            return ExtensionKind.FILTER;
        }
    }

    /** {@code "balancer": {"type": "round-robin"}} */
    record Balancer(ObjectNode json) implements ExtensionSpec {
        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        public Balancer {
        }

        @Override
        public ExtensionKind kind() {
            return ExtensionKind.BALANCER;
        }
    }

    /** {@code "healthCheck": {"type": "tcp", "interval": "2s"}} */
    record HealthCheck(ObjectNode json) implements ExtensionSpec {
        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        public HealthCheck {
        }

        @Override
        public ExtensionKind kind() {
            return ExtensionKind.HEALTH_CHECK;
        }
    }

    /** {@code "discovery": {"type": "dns", "name": "backend.internal", "port": 8080}} */
    record Discovery(ObjectNode json) implements ExtensionSpec {
        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        public Discovery {
        }

        @Override
        public ExtensionKind kind() {
            return ExtensionKind.DISCOVERY;
        }
    }
}
