package io.junction.plugin.http;

import io.junction.plugin.http.codec.HttpHeaders;

/** Applies a route's rewrites and header edits. */
final class RouteActions {

    private RouteActions() {
    }

    /**
     * The target with the matched path prefix replaced: {@code /api/items?x=1} with prefix {@code /api}
     * and replacement {@code /} is {@code /items?x=1}. No double or missing slash at the seam.
     */
    static String rewritePrefix(String target, String prefix, String replacement) {
        if (!target.startsWith(prefix)) {
            return target;
        }
        String rest = target.substring(prefix.length());
        if (replacement.endsWith("/") && rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        String rewritten = replacement + rest;
        if (rewritten.isEmpty() || rewritten.charAt(0) == '?') {
            rewritten = "/" + rewritten;
        }
        return rewritten;
    }

    /** Header edits in order: remove, set, add. */
    static void apply(HttpRouteAction.HeaderRules rules, HttpHeaders headers) {
        if (rules == null) {
            return;
        }
        rules.remove().forEach(headers::remove);
        rules.set().forEach(headers::set);
        rules.add().forEach(headers::add);
    }
}
