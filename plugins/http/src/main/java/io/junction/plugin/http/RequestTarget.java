package io.junction.plugin.http;

/**
 * A request-target split once into the parts routing and forwarding use, so that both see the same
 * host, path and query: origin-form ({@code /p?q}), or absolute-form ({@code http://host/p?q},
 * whose authority replaces Host, RFC 9112 3.2.2), or {@code *}.
 *
 * @param authority the absolute-form's authority, or null
 * @param path      the path, never empty ({@code /} when absent; {@code *} for asterisk-form)
 * @param query     the query without {@code ?}, or null
 */
record RequestTarget(String authority, String path, String query) {

    static RequestTarget parse(String target) {
        String authority = null;
        String rest = target;
        if (target.startsWith("http://") || target.startsWith("https://")) {
            int start = target.indexOf("//") + 2;
            int end = start;
            while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
                end++;
            }
            authority = target.substring(start, end);
            rest = target.substring(end);
        }
        int question = rest.indexOf('?');
        String path = question < 0 ? rest : rest.substring(0, question);
        String query = question < 0 ? null : rest.substring(question + 1);
        return new RequestTarget(authority, path.isEmpty() ? "/" : path, query);
    }

    /** This target with its path in normal form; itself when the path already is. */
    RequestTarget normalized(PathNormalizer normalizer) throws PathNormalizer.InvalidPath {
        String normal = normalizer.normalize(path);
        return normal == path ? this : new RequestTarget(authority, normal, query);
    }

    /** The origin-form sent to the backend: path and query. */
    String originForm() {
        return query == null ? path : path + "?" + query;
    }
}
