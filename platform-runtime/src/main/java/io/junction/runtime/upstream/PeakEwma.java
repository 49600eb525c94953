package io.junction.runtime.upstream;

/**
 * A peak-sensitive exponentially weighted moving average of latency (Finagle's peak EWMA): a
 * sample above the average replaces it at once, lower samples pull it down with a weight that
 * decays over {@code tau}, and reading it decays it towards zero for the time since the last
 * sample — so an endpoint that was slow once and then got no traffic is tried again after a while
 * instead of being starved for good. Thread-safe; a short lock (an endpoint's responses arrive on
 * a few event loops at most).
 */
final class PeakEwma {

    private final double tauNanos;
    private double value;
    private long stamp;

    PeakEwma(long tauNanos) {
        this.tauNanos = tauNanos;
    }

    synchronized void record(long sampleNanos, long nowNanos) {
        if (sampleNanos > value || stamp == 0) {
            value = sampleNanos;
        } else {
            double w = Math.exp(-Math.max(0, nowNanos - stamp) / tauNanos);
            value = value * w + sampleNanos * (1 - w);
        }
        stamp = nowNanos;
    }

    synchronized long nanos(long nowNanos) {
        if (stamp == 0) {
            return 0;
        }
        return (long) (value * Math.exp(-Math.max(0, nowNanos - stamp) / tauNanos));
    }
}
