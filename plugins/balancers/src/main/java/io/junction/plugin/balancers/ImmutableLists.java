package io.junction.plugin.balancers;

import java.util.List;

/**
 * Recognizes the JDK's immutable lists ({@code List.of}, {@code List.copyOf}). The runtime passes
 * the same immutable candidate list for as long as every endpoint is available, and an
 * endpoint's weight never changes (the runtime replaces an endpoint whose weight does), so a
 * balancer may keep what it derived from such a list — a schedule, a table, cumulative weights —
 * and reuse it while the very same list comes back, skipping an O(n) pass per pick. Any other
 * list is read afresh on every pick.
 */
final class ImmutableLists {

    private static final Class<?> LIST_N = List.of(1, 2, 3).getClass();
    private static final Class<?> LIST_12 = List.of(1).getClass();

    private ImmutableLists() {
    }

    static boolean isImmutable(List<?> list) {
        Class<?> type = list.getClass();
        return type == LIST_N || type == LIST_12;
    }
}
