package io.junction.api.health;

/**
 * The outcome of one probe.
 *
 * @param healthy whether the endpoint passed
 * @param detail  why, in a few words ("connect refused", "status 503"); logged on transitions
 */
public record HealthCheckResult(boolean healthy, String detail) {

    public static HealthCheckResult pass(String detail) {
        return new HealthCheckResult(true, detail);
    }

    public static HealthCheckResult fail(String detail) {
        return new HealthCheckResult(false, detail);
    }
}
