package io.junction.runtime.upstream;

import io.junction.api.upstream.EndpointRequest;

/** One request to a {@link DefaultEndpoint}: active until finished; its outcome feeds latency and outlier detection. */
final class TrackedRequest implements EndpointRequest {

    private final DefaultEndpoint endpoint;
    private final long started;
    private boolean answered;
    private boolean finished;

    /** @param started when the request started (a {@link System#nanoTime()} reading) */
    TrackedRequest(DefaultEndpoint endpoint, long started) {
        this.endpoint = endpoint;
        this.started = started;
    }

    @Override
    public void answered(boolean success) {
        answered(success, System.nanoTime());
    }

    @Override
    public void answered(boolean success, long now) {
        if (!answered && !finished) {
            answered = true;
            endpoint.requestAnswered(success, now - started, now);
        }
    }

    @Override
    public void failed(Failure failure) {
        if (!answered && !finished) {
            answered = true;
            endpoint.requestFailed(failure);
        }
    }

    @Override
    public void finish() {
        if (!finished) {
            finished = true;
            endpoint.requestFinished();
        }
    }
}
