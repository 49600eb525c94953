package io.junction.api.upstream;

/**
 * One request, call or query in flight to an endpoint, from {@link Endpoint#startRequest()}.
 * Report how the endpoint answered (at most once) and when the exchange is over (once; later
 * calls are ignored). Used on the event loop that started it. Since API 1.2.
 */
public interface EndpointRequest {

    /** What went wrong when the endpoint did not answer. */
    enum Failure {
        /** The connection was reset or closed before a complete answer. */
        RESET,
        /** No answer within the protocol's response timeout. */
        TIMEOUT
    }

    /**
     * The endpoint answered (its response head arrived); the latency is taken now.
     *
     * @param success false when the answer is a server error — HTTP 5xx, or the protocol's
     *                equivalent — which outlier detection counts
     */
    void answered(boolean success);

    /**
     * {@link #answered(boolean)} at {@code nanoTime}, a {@link System#nanoTime()} reading the caller took just
     * now, so that the clock is not read again. Since API 1.5.
     */
    default void answered(boolean success, long nanoTime) {
        answered(success);
    }

    /** The endpoint failed the request without answering; outlier detection counts it. */
    void failed(Failure failure);

    /** The exchange is over — complete, failed or abandoned by the client; no longer active. */
    void finish();

    /** A request nobody counts, for endpoints that do not track requests. */
    EndpointRequest UNTRACKED = new EndpointRequest() {
        @Override
        public void answered(boolean success) {
        }

        @Override
        public void failed(Failure failure) {
        }

        @Override
        public void finish() {
        }
    };
}
