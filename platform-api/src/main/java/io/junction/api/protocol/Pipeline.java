package io.junction.api.protocol;

import io.junction.api.filter.Filter;
import java.util.List;

/**
 * What a protocol handler knows of the pipeline it serves: its name, its routes (each to an
 * upstream) and its exchange filters, in config order. Immutable: a reload builds a new one.
 */
public interface Pipeline {

    /** The pipeline's name from the config; unique. */
    String name();

    /** The routes in config order; first match wins. Never empty. */
    List<Route> routes();

    /**
     * The exchange filters (of the protocol's {@link ProtocolHandlerExtension#exchangeFilterContract()})
     * in config order. Connection filters are run by the runtime and are not listed here.
     */
    List<Filter> exchangeFilters();
}
