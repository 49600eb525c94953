package io.junction.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.HttpVersion;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Header rewriting between the hops: what is dropped, what is added, and that order and spelling are kept. */
class ForwardingHeadersTest {

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    private static ForwardingHeaders forwarding(HttpProxyConfig.ForwardedMode xForwardedFor, boolean forwarded) {
        return new ForwardingHeaders(new HttpProxyConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                null, xForwardedFor, forwarded, null, null, null, null, null, null, null));
    }

    /** Every hop-by-hop and framing field, in mixed case, among end-to-end ones that look like them. */
    private static HttpHeaders hopByHopAmongEndToEnd() {
        return headers("Host", "a", "CONNECTION", "keep-alive", "Keep-Alive", "timeout=5", "Proxy-Connection", "x",
                "TE", "trailers", "Transfer-Encoding", "chunked", "Upgrade", "h2c", "Content-Length", "3",
                "Proxy-Authorization", "Basic x", "proxy-authenticate", "Basic", "Accept", "*/*", "Tee", "1", "Connections", "2",
                "Keep-Alivf", "3", "Content-Type", "text/plain");
    }

    /** What is left of {@link #hopByHopAmongEndToEnd()}. */
    private static final String END_TO_END = "[Host: a, Accept: */*, Tee: 1, Connections: 2, Keep-Alivf: 3, Content-Type: text/plain]";

    @Test
    void hopByHopAndFramingFieldsAreDroppedWhateverTheirCase() {
        HttpHeaders in = hopByHopAmongEndToEnd();
        assertThat(ForwardingHeaders.endToEnd(in).toString()).isEqualTo(END_TO_END);
        assertThat(in.size()).as("the original is left as it was").isEqualTo(15);
    }

    @Test
    void fieldsTheConnectionFieldNamesAreDropped() {
        HttpHeaders in = headers("Connection", "keep-alive, X-Hop ,\tx-other", "x-hop", "1", "X-Other", "2", "X-Kept", "3",
                "connection", "close,,", "Close", "4");
        assertThat(ForwardingHeaders.endToEnd(in).toString()).isEqualTo("[X-Kept: 3]");
        assertThat(ForwardingHeaders.endToEnd(headers("Connection", "Upgrade, TE", "Upgrade", "websocket", "X", "1")).toString())
                .isEqualTo("[X: 1]");
        assertThat(ForwardingHeaders.endToEnd(headers("Connection", "x-hopp", "X-Hop", "1")).toString())
                .isEqualTo("[X-Hop: 1]");
        assertThat(ForwardingHeaders.endToEnd(new HttpHeaders()).isEmpty()).isTrue();
    }

    @Test
    void strippingInPlaceRemovesWhatACopyWouldDrop() {
        HttpHeaders in = hopByHopAmongEndToEnd();
        String copied = ForwardingHeaders.endToEnd(in).toString();
        assertThat(ForwardingHeaders.stripHopByHop(in)).as("in place").isSameAs(in);
        assertThat(in.toString()).isEqualTo(copied).isEqualTo(END_TO_END);
        assertThat(in.get("connection")).isNull();
        assertThat(in.get("content-type")).as("fields after a removed one are still found").isEqualTo("text/plain");
        // a Connection field that names other fields: those go too (from a copy)
        HttpHeaders named = headers("Connection", "X-Hop", "x-hop", "1", "X-Kept", "3");
        assertThat(ForwardingHeaders.stripHopByHop(named).toString()).isEqualTo("[X-Kept: 3]");
    }

    @Test
    void trailersLoseWhatCouldChangeFramingRoutingOrIdentity() {
        HttpHeaders trailers = headers("Checksum", "abc", "content-length", "1", "Set-Cookie", "a=1", "X-Forwarded-For", "1.2.3.4",
                "Server-Timing", "db;dur=5");
        assertThat(ForwardingHeaders.trailers(trailers).toString()).isEqualTo("[Checksum: abc, Server-Timing: db;dur=5]");
        HttpHeaders none = new HttpHeaders();
        assertThat(ForwardingHeaders.trailers(none)).isSameAs(none);
    }

    @Test
    void requestsLearnTheClientAndTheHops() throws Exception {
        ForwardingHeaders forwarding = forwarding(HttpProxyConfig.ForwardedMode.append, true);
        InetAddress first = InetAddress.getByName("10.0.0.1");
        HttpHeaders headers = headers("Host", "example.com");
        forwarding.addToRequest(headers, first, "example.com", HttpVersion.HTTP_1_1, false);
        assertThat(headers.toString()).isEqualTo("[Host: example.com, X-Forwarded-For: 10.0.0.1, X-Forwarded-Proto: http, "
                + "X-Forwarded-Host: example.com, Forwarded: for=10.0.0.1;proto=http;host=\"example.com\", Via: 1.1 junction]");

        headers = headers("x-forwarded-for", "1.1.1.1", "X-Forwarded-For", "2.2.2.2", "X-Forwarded-Proto", "https", "via", "1.0 a");
        forwarding.addToRequest(headers, InetAddress.getByName("10.0.0.2"), null, HttpVersion.HTTP_1_0, true);
        assertThat(headers.toString()).isEqualTo("[X-Forwarded-For: 1.1.1.1, 2.2.2.2, 10.0.0.2, X-Forwarded-Proto: https, "
                + "Via: 1.0 a, 1.0 junction, Forwarded: for=10.0.0.2;proto=https]");

        headers = new HttpHeaders();
        forwarding.addToRequest(headers, InetAddress.getByName("10.0.0.1"), null, HttpVersion.HTTP_1_1, false);
        assertThat(headers.get("X-Forwarded-For")).as("another object for the same address").isEqualTo("10.0.0.1");
        headers = new HttpHeaders();
        forwarding.addToRequest(headers, InetAddress.getByName("::1"), null, HttpVersion.HTTP_1_1, false);
        assertThat(headers.get("X-Forwarded-For")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(headers.get("Forwarded")).isEqualTo("for=\"[0:0:0:0:0:0:0:1]\";proto=http");
        headers = new HttpHeaders();
        forwarding.addToRequest(headers, first, null, HttpVersion.HTTP_1_1, false);
        assertThat(headers.get("X-Forwarded-For")).isEqualTo("10.0.0.1");
    }

    @Test
    void overwriteReplacesWhatTheClientClaimed() throws Exception {
        HttpHeaders headers = headers("X-Forwarded-For", "6.6.6.6", "X-Forwarded-Host", "evil", "X-Forwarded-Proto", "https");
        forwarding(HttpProxyConfig.ForwardedMode.overwrite, false).addToRequest(headers, InetAddress.getByName("10.0.0.3"), null,
                HttpVersion.HTTP_1_1, false);
        assertThat(headers.toString()).isEqualTo("[X-Forwarded-For: 10.0.0.3, X-Forwarded-Proto: http, Via: 1.1 junction]");
    }

    @Test
    void responsesGetTheViaOfThisHop() {
        HttpHeaders headers = headers("Via", "1.1 backend", "Server", "x");
        forwarding(HttpProxyConfig.ForwardedMode.append, false).addToResponse(headers, HttpVersion.HTTP_1_0);
        assertThat(headers.toString()).isEqualTo("[Via: 1.1 backend, 1.0 junction, Server: x]");
    }
}
