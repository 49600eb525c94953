package io.junction.plugin.balancers;

import io.junction.api.upstream.PickContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * What a hashing balancer hashes, from its {@code "hashOn"} setting: {@code "source-ip"} (the
 * client's address, without the port), {@code "header:<name>"}, {@code "cookie:<name>"},
 * {@code "path"} or {@code "sni"} (request attributes of the {@link PickContext}).
 */
final class HashOn {

    /** What {@link #hash} returns when the context has no key; a real hash never equals it. */
    static final long ABSENT = Long.MIN_VALUE;

    static final String DEFAULT = "source-ip";

    private static final long SEED = 0x6a756e6374696f6eL; // "junction"

    private final String attribute; // null for source-ip

    private HashOn(String attribute) {
        this.attribute = attribute;
    }

    /** Parses a {@code hashOn} value; the message of a bad one starts with {@code field}. */
    static HashOn parse(String field, String text) {
        if (text == null || text.equals("source-ip")) {
            return new HashOn(null);
        }
        if (text.equals("path") || text.equals("sni")) {
            return new HashOn(text);
        }
        if (text.startsWith("header:")) {
            return new HashOn("header:" + token(field, text, "header:").toLowerCase(Locale.ROOT));
        }
        if (text.startsWith("cookie:")) {
            return new HashOn("cookie:" + token(field, text, "cookie:"));
        }
        throw new IllegalArgumentException(field + ": expected \"source-ip\", \"header:<name>\", \"cookie:<name>\", \"path\" "
                + "or \"sni\", got \"" + text + "\"");
    }

    private static String token(String field, String text, String prefix) {
        String name = text.substring(prefix.length());
        if (name.isEmpty()) {
            throw new IllegalArgumentException(field + ": a name must follow \"" + prefix + "\"");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean token = c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
            if (!token) {
                throw new IllegalArgumentException(field + ": \"" + name + "\" is not a valid " + prefix.substring(0, prefix.length() - 1)
                        + " name");
            }
        }
        return name;
    }

    /** The 64-bit hash of the context's key, or {@link #ABSENT} when the context has none. */
    long hash(PickContext context) {
        long h;
        if (attribute == null) {
            Optional<InetSocketAddress> client = context.client();
            if (client.isEmpty()) {
                return ABSENT;
            }
            h = hash(client.get());
        } else {
            Optional<String> key = context.attribute(attribute);
            if (key.isEmpty()) {
                return ABSENT;
            }
            h = Hashing.hash(key.get(), SEED);
        }
        return h == ABSENT ? ~ABSENT : h;
    }

    private static long hash(InetSocketAddress client) {
        InetAddress address = client.getAddress();
        if (address == null) {
            return Hashing.hash(client.getHostString(), SEED);
        }
        byte[] bytes = address.getAddress(); // 4 or 16
        long high = 0;
        long low = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (i < 8) {
                high = high << 8 | (bytes[i] & 0xff);
            } else {
                low = low << 8 | (bytes[i] & 0xff);
            }
        }
        return Hashing.hash(high, Hashing.hash(low, SEED ^ bytes.length));
    }

    @Override
    public String toString() {
        return attribute == null ? "source-ip" : attribute;
    }
}
