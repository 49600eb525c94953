package io.junction.plugin.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Every {@link BackendPool} of the process, held weakly (a pool goes with its pipeline's config): an
 * upstream's connection cap counts the connections of every pipeline that uses it, so a request that
 * meets the cap may close an idle connection another {@code http} pipeline pooled for that upstream.
 */
final class BackendPools {

    private static final Set<BackendPool> ALL = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private BackendPools() {
    }

    static void add(BackendPool pool) {
        ALL.add(pool);
    }

    /** A copy of the pools now alive: read only when a request meets a connection cap. */
    static List<BackendPool> all() {
        synchronized (ALL) {
            return new ArrayList<>(ALL);
        }
    }
}
