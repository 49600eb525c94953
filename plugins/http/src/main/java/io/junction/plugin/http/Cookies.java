package io.junction.plugin.http;

import io.junction.plugin.http.codec.HttpHeaders;

/** Reads one cookie from a request's {@code Cookie} fields (RFC 6265 5.4: "name=value" pairs separated by "; "). */
final class Cookies {

    private Cookies() {
    }

    /** The value of the first cookie called {@code name}, or null. */
    static String value(HttpHeaders headers, String name) {
        for (String field : headers.getAll("cookie")) {
            int from = 0;
            while (from < field.length()) {
                int end = field.indexOf(';', from);
                if (end < 0) {
                    end = field.length();
                }
                int eq = field.indexOf('=', from);
                if (eq > 0 && eq < end && field.substring(from, eq).trim().equals(name)) {
                    String value = field.substring(eq + 1, end).trim();
                    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
                }
                from = end + 1;
            }
        }
        return null;
    }
}
