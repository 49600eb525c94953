package io.junction.runtime.upstream;

import io.junction.api.upstream.EndpointRequest;

/** One request to a {@link DefaultEndpoint}: active until finished; its outcome feeds latency and outlier detection. */
final class TrackedRequest implements EndpointRequest {

    private final DefaultEndpoint endpoint;
    private final long started = System.nanoTime();
    private boolean answered;
    private boolean finished;

    TrackedRequest(DefaultEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void answered(boolean success) {
        if (!answered && !finished) {
            answered = true;
            long now = System.nanoTime();
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
