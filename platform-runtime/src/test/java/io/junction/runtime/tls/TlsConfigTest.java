package io.junction.runtime.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.junction.api.config.ConfigDoc;
import io.junction.api.protocol.ProtocolHandler;
import io.junction.api.protocol.ProtocolHandlerExtension;
import io.junction.runtime.config.ConfigError;
import io.junction.runtime.config.ConfigException;
import io.junction.runtime.config.ConfigLoader;
import io.junction.runtime.config.LoadedConfig;
import io.junction.runtime.plugin.ExtensionKind;
import io.junction.runtime.plugin.ExtensionRegistry;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding of a pipeline's {@code "tls"} and every error a user can make in it, with real PEM files. */
class TlsConfigTest {

    @TempDir
    static Path dir;
    static TestCertificates.Pair api;
    static TestCertificates.Pair fallback;
    static TestCertificates.Pair sans;

    @BeforeAll
    static void certificates() throws Exception {
        api = TestCertificates.create(dir, "api");
        fallback = TestCertificates.create(dir, "default");
        sans = TestCertificates.create(dir, "sans", "www.example.org", "*.cdn.example.org");
    }

    private static LoadedConfig load(String tls) throws ConfigException {
        return new ConfigLoader(registry()).parse("""
                { "pipelines": [ { "name": "a", "listen": "127.0.0.1:9443", "protocol": {"type": "respond"}, "tls": %s } ] }
                """.formatted(tls), dir.resolve("junction.json").toString(), dir);
    }

    private static List<ConfigError> errors(String tls) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(tls));
        assertThat(e).as("the config should be refused").isNotNull();
        return e.errors();
    }

    private static ConfigError onlyError(String tls, String path, String... parts) {
        List<ConfigError> errors = errors(tls);
        assertThat(errors).as("errors").hasSize(1);
        assertThat(errors.get(0).path()).as("path of %s", errors.get(0)).isEqualTo(path);
        assertThat(errors.get(0).message()).as("message of %s", errors.get(0)).contains(parts);
        return errors.get(0);
    }

    private static final String TWO = """
            { "certificates": [
                { "cert": "api.pem", "key": "api.key", "serverNames": ["api.example.com", "*.api.example.com"] },
                { "cert": "default.pem", "key": "default.key" } ] }""";

    @Test
    void bindsWithDefaultsAndPathsRelativeToTheConfigDirectory() throws ConfigException {
        ServerTls tls = load(TWO).pipelines().get(0).tls();
        assertThat(tls).isNotNull();
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.alpn()).containsExactly("http/1.1");
        assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(tls.certificates()).containsExactly("api.pem [api.example.com, *.api.example.com]", "default.pem [] (default)");
    }

    @Test
    void aPipelineWithoutTlsHasNone() throws ConfigException {
        LoadedConfig config = new ConfigLoader(registry()).parse("""
                { "pipelines": [ { "name": "a", "listen": "127.0.0.1:9443", "protocol": {"type": "respond"} } ] }""", "t.json");
        assertThat(config.pipelines().get(0).tls()).isNull();
    }

    @Test
    void serverNamesPickTheCertificateAndEverythingElseGetsTheDefault() throws ConfigException {
        ServerTls tls = load(TWO).pipelines().get(0).tls();
        SslContext apiContext = tls.contexts().map("api.example.com");
        SslContext other = tls.contexts().map("other.example.net");
        assertThat(apiContext).isNotSameAs(other);
        assertThat(tls.contexts().map("v2.api.example.com")).isSameAs(apiContext);
        assertThat(tls.contexts().map("API.EXAMPLE.COM")).isSameAs(apiContext);
        assertThat(tls.contexts().map("a.b.api.example.com")).as("a wildcard covers one label").isSameAs(other);
        assertThat(tls.contexts().map(null)).isSameAs(other);
    }

    @Test
    void withoutServerNamesACertificateAnswersItsOwnDnsNames() throws ConfigException {
        ServerTls tls = load("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key" }, { "cert": "sans.pem", "key": "sans.key" } ] }""")
                .pipelines().get(0).tls();
        SslContext fallbackContext = tls.contexts().map("unknown.example.net");
        assertThat(tls.contexts().map("www.example.org")).isNotSameAs(fallbackContext);
        assertThat(tls.contexts().map("img.cdn.example.org")).isSameAs(tls.contexts().map("www.example.org"));
        assertThat(tls.certificates()).containsExactly("default.pem [] (default)", "sans.pem [www.example.org, *.cdn.example.org]");
    }

    @Test
    void theFirstCertificateIsTheDefaultWhenAllNameThemselves() throws ConfigException {
        ServerTls tls = load("""
                { "certificates": [ { "cert": "api.pem", "key": "api.key", "serverNames": ["api.example.com"] },
                                    { "cert": "default.pem", "key": "default.key", "serverNames": ["www.example.com"] } ] }""")
                .pipelines().get(0).tls();
        assertThat(tls.contexts().map("nobody.example")).isSameAs(tls.contexts().map("api.example.com"));
        assertThat(tls.contexts().map("www.example.com")).isNotSameAs(tls.contexts().map("api.example.com"));
    }

    @Test
    void absolutePathsAndExplicitSettings() throws ConfigException {
        ServerTls tls = load("""
                { "certificates": [ { "cert": "%s", "key": "%s" } ], "protocols": ["TLSv1.2"], "alpn": ["h2", "http/1.1"],
                  "handshakeTimeout": "3s", "provider": "jdk" }""".formatted(fallback.cert(), fallback.key()))
                .pipelines().get(0).tls();
        assertThat(tls.protocols()).containsExactly("TLSv1.2");
        assertThat(tls.alpn()).containsExactly("h2", "http/1.1");
        assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(tls.provider()).isEqualTo("JDK");
        assertThat(tls.contexts().map(null).isServer()).isTrue();
    }

    @Test
    void openSslIsUsedWhenAvailableAndAsked() throws ConfigException {
        // netty-tcnative-boringssl-static for linux-x86_64 is a dependency of the runtime.
        assertThat(io.netty.handler.ssl.OpenSsl.isAvailable()).as("OpenSSL: %s", io.netty.handler.ssl.OpenSsl.unavailabilityCause())
                .isTrue();
        assertThat(load("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key" } ], "provider": "openssl" }""")
                .pipelines().get(0).tls().provider()).startsWith("OpenSSL (BoringSSL");
        assertThat(load("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key" } ] }""")
                .pipelines().get(0).tls().provider()).startsWith("OpenSSL");
    }

    // ---- errors ----------------------------------------------------------------------------

    @Test
    void aMissingFileNamesItsPathAndTheFile() {
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key" }, { "cert": "api.pem", "key": "nope/api.key" } ] }""",
                "pipelines[0].tls.certificates[1].key", "cannot read " + dir.resolve("nope/api.key"), "no such file");
        onlyError("""
                { "certificates": [ { "cert": "missing.pem", "key": "default.key" } ] }""",
                "pipelines[0].tls.certificates[0].cert", "cannot read " + dir.resolve("missing.pem"));
    }

    @Test
    void everyBadFileIsReportedInOneGo() {
        List<ConfigError> errors = errors("""
                { "certificates": [ { "cert": "missing.pem", "key": "missing.key" }, { "cert": "gone.pem", "key": "default.key" } ] }""");
        assertThat(errors).extracting(ConfigError::path).containsExactly("pipelines[0].tls.certificates[0].cert",
                "pipelines[0].tls.certificates[0].key", "pipelines[0].tls.certificates[1].cert");
    }

    @Test
    void malformedPemIsAnError() throws Exception {
        Files.writeString(dir.resolve("garbage.pem"), "this is not a certificate\n");
        onlyError("""
                { "certificates": [ { "cert": "garbage.pem", "key": "default.key" } ] }""",
                "pipelines[0].tls.certificates[0].cert", "no certificate in " + dir.resolve("garbage.pem"), "not PEM");
        String good = Files.readString(fallback.cert());
        Files.writeString(dir.resolve("truncated.pem"), good.substring(0, good.length() / 2) + "\n-----END CERTIFICATE-----\n");
        onlyError("""
                { "certificates": [ { "cert": "truncated.pem", "key": "default.key" } ] }""",
                "pipelines[0].tls.certificates[0].cert", "malformed", "in " + dir.resolve("truncated.pem"));
        Files.writeString(dir.resolve("corrupt.key"), TestCertificates.pem("PRIVATE KEY", new byte[] {1, 2, 3, 4, 5}));
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "corrupt.key" } ] }""",
                "pipelines[0].tls.certificates[0].key", "malformed private key in " + dir.resolve("corrupt.key"));
        List<ConfigError> swapped = errors("""
                { "certificates": [ { "cert": "default.key", "key": "default.pem" } ] }""");
        assertThat(swapped).extracting(ConfigError::toString).containsExactly(
                "pipelines[0].tls.certificates[0].cert: no certificate in " + dir.resolve("default.key")
                        + "; expected PEM (-----BEGIN CERTIFICATE-----); the file holds [PRIVATE KEY] but not a certificate",
                "pipelines[0].tls.certificates[0].key: no private key in " + dir.resolve("default.pem")
                        + "; expected PEM (-----BEGIN PRIVATE KEY-----); the file holds [CERTIFICATE] but not a private key");
    }

    @Test
    void keysInOtherFormatsSayHowToConvert() throws Exception {
        Files.writeString(dir.resolve("pkcs1.key"), TestCertificates.pem("EC PRIVATE KEY", new byte[] {1, 2, 3}));
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "pkcs1.key" } ] }""",
                "pipelines[0].tls.certificates[0].key", "PKCS#8", "openssl pkcs8 -topk8 -nocrypt");
        Files.writeString(dir.resolve("encrypted.key"), TestCertificates.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "encrypted.key" } ] }""",
                "pipelines[0].tls.certificates[0].key", "is encrypted");
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsAnError() {
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key" }, { "cert": "api.pem", "key": "default.key" } ] }""",
                "pipelines[0].tls.certificates[1].key", "the key in " + dir.resolve("default.key"),
                "does not belong to the certificate in " + dir.resolve("api.pem"), "CN=api");
    }

    @Test
    void onlyTls12And13AreAccepted() {
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key" } ], "protocols": ["TLSv1.3", "TLSv1.1"] }""",
                "pipelines[0].tls.protocols", "\"TLSv1.1\" is not accepted");
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key" } ], "protocols": ["SSLv3"] }""",
                "pipelines[0].tls.protocols", "\"SSLv3\"");
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key" } ], "protocols": [] }""",
                "pipelines[0].tls.protocols", "at least one");
    }

    @Test
    void fieldErrorsNameTheirPath() {
        onlyError("""
                { "certificates": [] }""", "pipelines[0].tls.certificates", "is required");
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key" } ], "provider": "boringssl" }""",
                "pipelines[0].tls.provider", "[auto, openssl, jdk]", "\"boringssl\"");
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key" } ], "handshakeTimeout": "0s" }""",
                "pipelines[0].tls.handshakeTimeout", "more than 0");
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key" } ], "alpn": ["http/1.1", ""] }""",
                "pipelines[0].tls.alpn", "\"\"");
        onlyError("""
                { "certificates": [ { "cert": "default.pem" } ] }""", "pipelines[0].tls.certificates[0].key", "is required");
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key", "chain": "x.pem" } ] }""",
                "pipelines[0].tls.certificates[0].chain", "unknown field");
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key" } ], "ciphers": ["x"] }""",
                "pipelines[0].tls.ciphers", "unknown field");
    }

    @Test
    void serverNamesMustBeDnsNamesOrOneLabelWildcards() {
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key", "serverNames": ["*"] } ] }""",
                "pipelines[0].tls.certificates[0].serverNames", "\"*\" is not a DNS name");
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key", "serverNames": ["*.com"] } ] }""",
                "pipelines[0].tls.certificates[0].serverNames", "too wide");
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key", "serverNames": ["api.*.example.com"] } ] }""",
                "pipelines[0].tls.certificates[0].serverNames", "not a DNS name");
        onlyError("""
                { "certificates": [ { "cert": "default.pem", "key": "default.key", "serverNames": [] } ] }""",
                "pipelines[0].tls.certificates[0].serverNames", "leave it out");
    }

    @Test
    void aServerNameBelongsToOneCertificate() {
        onlyError("""
                { "certificates": [ { "cert": "api.pem", "key": "api.key", "serverNames": ["api.example.com"] },
                                    { "cert": "default.pem", "key": "default.key", "serverNames": ["API.example.com"] } ] }""",
                "pipelines[0].tls.certificates[1].serverNames", "\"api.example.com\" is also listed by pipelines[0].tls.certificates[0]");
    }

    @Test
    void aCertificateNoClientCouldGetIsAnError() {
        onlyError("""
                { "certificates": [ { "cert": "sans.pem", "key": "sans.key" }, { "cert": "api.pem", "key": "api.key" } ] }""",
                "pipelines[0].tls.certificates[1].serverNames", "no DNS subject alternative names");
    }

    @Test
    void tlsErrorsComeWithTheOtherErrorsOfThePipeline() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(registry()).parse("""
                { "pipelines": [ { "name": "a", "listen": "127.0.0.1:9443", "protocol": {"type": "nope"},
                                   "tls": { "certificates": [ { "cert": "missing.pem", "key": "default.key" } ] } } ] }""",
                "t.json", dir));
        assertThat(e.errors()).extracting(ConfigError::path)
                .containsExactlyInAnyOrder("pipelines[0].tls.certificates[0].cert", "pipelines[0].protocol.type");
    }

    // ---- a protocol to hang pipelines on -----------------------------------------------------

    static ExtensionRegistry registry() {
        return new ExtensionRegistry().register(ExtensionKind.PROTOCOL, new Respond());
    }

    @ConfigDoc("Nothing to set.")
    public record NoConfig() {
    }

    public static final class Noop implements ProtocolHandler {
        @Override
        public void initChannel(Channel channel) {
        }
    }

    static final class Respond implements ProtocolHandlerExtension<NoConfig> {
        @Override
        public String type() {
            return "respond";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public Class<? extends ProtocolHandler> implementation() {
            return Noop.class;
        }

        @Override
        public boolean usesUpstreams() {
            return false;
        }
    }
}
