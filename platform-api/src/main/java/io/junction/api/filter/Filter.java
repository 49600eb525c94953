package io.junction.api.filter;

/**
 * Marker for every filter contract. A filter implementation implements exactly one of
 * {@link ConnectionFilter} or a protocol's exchange filter contract.
 */
public interface Filter {
}
