package io.junction.runtime.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.junction.api.config.ConfigDoc;

/** One endpoint: {@code "host:port"} or {@code {"address": "host:port", "weight": 2}}. */
@ConfigDoc("A backend endpoint.")
public record EndpointSection(
        @ConfigDoc(value = "host:port of the backend.", required = true) String address,
        @ConfigDoc(value = "Relative share of traffic, 1 to 1000.", defaultValue = "1") Integer weight) {

    public EndpointSection {
        ConfigChecks.required("address", address, "\"127.0.0.1:8081\"");
        ConfigChecks.hostPort("address", address);
        if (weight == null) {
            weight = 1;
        }
        if (weight < 1 || weight > 1000) {
            throw new IllegalArgumentException("weight: expected 1 to 1000, got " + weight);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static EndpointSection of(String address) {
        try {
            return new EndpointSection(address, 1);
        } catch (IllegalArgumentException e) {
            // The endpoint is the string itself: report the error at its path, not at ".address".
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^address: ", ""), e);
        }
    }

    public HostPort hostPort() {
        return HostPort.parse(address);
    }
}
