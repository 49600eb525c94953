package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin discovery and isolation with real plugin jars from a directory: two plugins bundling two
 * versions of one private library, and every kind of broken plugin, each a clear error naming its file.
 */
@Timeout(120)
class PluginLoadingIT {

    @TempDir
    Path work;

    Path plugins;
    int alphaPort;
    int betaPort;
    Path config;

    @BeforeEach
    void pluginsAndConfig() throws IOException {
        plugins = Configs.pluginsWithBundled(work);
        Configs.addTestPlugin(plugins, "alpha");
        Configs.addTestPlugin(plugins, "beta");
        alphaPort = Net.freePort();
        betaPort = Net.freePort();
        config = Configs.write(work, "plugins.json", """
                {
                  "pipelines": [
                    { "name": "a", "listen": "127.0.0.1:%d", "protocol": { "type": "alpha", "greeting": "hello" } },
                    { "name": "b", "listen": "127.0.0.1:%d", "protocol": { "type": "beta" } }
                  ]
                }
                """.formatted(alphaPort, betaPort));
    }

    @Test
    void twoPluginsWithDifferentVersionsOfOnePrivateLibraryBothWork() throws Exception {
        try (JunctionProcess junction = JunctionProcess.startReady(work, "-c", config.toString(), "--plugins", plugins.toString())) {
            assertThat(Net.readLine(alphaPort)).isEqualTo("hello testlib=1\n");
            assertThat(Net.readLine(betaPort)).isEqualTo("beta testlib=v2\n");
            assertThat(junction.output()).contains("plugin-alpha 0.1.0-SNAPSHOT").contains("plugin-beta 0.1.0-SNAPSHOT");
            assertThat(junction.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void pluginsCommandListsFileModuleVersionAndExtensions() throws Exception {
        JunctionProcess.Result result = JunctionProcess.run(work, "plugins", "--plugins", plugins.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout())
                .contains("plugin-alpha 0.1.0-SNAPSHOT  (module io.junction.testplugin.alpha, API 1.5)")
                .contains("file: " + plugins.resolve("alpha").resolve("plugin-alpha.jar"))
                .contains("protocol handler 'alpha'")
                .contains("filter 'deny-all'")
                .contains("tcp 0.1.0-SNAPSHOT  (module io.junction.plugin.tcp, API 1.5)")
                .contains("balancer 'least-connections'")
                .contains("balancer 'maglev'")
                .contains("health check 'tcp'")
                .contains("health check 'grpc'")
                .contains("discovery 'dns'");
    }

    @Test
    void connectionFilterFromAPluginRefusesConnectionsAndIsCounted() throws Exception {
        int admin = Net.freePort();
        Path denied = Configs.write(work, "denied.json", """
                {
                  "admin": { "listen": "127.0.0.1:%d" },
                  "pipelines": [
                    { "name": "a", "listen": "127.0.0.1:%d", "protocol": { "type": "alpha" },
                      "filters": [ { "type": "deny-all", "metric": "test.denied" } ] }
                  ]
                }
                """.formatted(admin, alphaPort));
        try (JunctionProcess junction = JunctionProcess.startReady(work, "-c", denied.toString(), "--plugins", plugins.toString())) {
            assertThat(Net.readLine(alphaPort)).as("the filter closes before the protocol writes").isEmpty();
            String metrics = Net.get(admin, "/metrics").body();
            assertThat(metrics).contains("junction_pipeline_connections_refused_total{pipeline=\"a\"} 1.0")
                    .contains("test_denied_total 1.0");
            assertThat(junction.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void corruptJarIsAnErrorNamingTheFile() throws Exception {
        Path corrupt = Files.write(plugins.resolve("corrupt.jar"), "this is not a zip file".getBytes());
        assertRefused(corrupt, "is not a valid jar");
    }

    @Test
    void pluginBuiltForAnotherApiMajorIsRefusedBeforeLoadingClasses() throws Exception {
        Path future = Files.createDirectories(plugins.resolve("future"));
        Files.copy(plugins.resolve("alpha/testlib-one.jar"), future.resolve("testlib-one.jar"));
        Path jar = Files.copy(plugins.resolve("alpha/plugin-alpha.jar"), future.resolve("plugin-future.jar"));
        rewriteDescriptor(jar, "id=plugin-future\nversion=9.0\napiVersion=2.0\n");
        assertRefused(jar, "was built for platform API 2.0 but this Junction provides API 1.5");
    }

    @Test
    void pluginThatFailsToResolveNamesTheMissingModule() throws Exception {
        Path lonely = Files.createDirectories(plugins.resolve("alpha-without-lib"));
        Files.copy(plugins.resolve("alpha/plugin-alpha.jar"), lonely.resolve("plugin-alpha.jar"));
        assertRefused(lonely, "fails to resolve", "io.junction.testlib");
    }

    @Test
    void pluginBundlingASharedPackageIsAnErrorNamingBothJars() throws Exception {
        Path shady = Files.createDirectories(plugins.resolve("shady"));
        Files.copy(plugins.resolve("alpha/plugin-alpha.jar"), shady.resolve("plugin-alpha.jar"));
        Files.copy(plugins.resolve("alpha/testlib-one.jar"), shady.resolve("testlib-one.jar"));
        Path copy = shady.resolve("netty-buffer-copy.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(copy))) {
            out.putNextEntry(new JarEntry("io/netty/buffer/ByteBuf.class"));
            out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
            out.closeEntry();
        }
        assertRefused(copy, "bundles package io.netty.buffer, which the shared module io.netty.buffer", "netty-buffer-");
    }

    @Test
    void duplicateTypeNameIsAnErrorNamingBothPlugins() throws Exception {
        Path copy = Files.copy(Configs.bundled(plugins, "respond"), plugins.resolve("respond-copy.jar"));
        assertRefused(copy, "declares protocol handler type 'respond', which plugin respond-0.1.0-SNAPSHOT.jar already declares");
    }

    /** The broken plugin stops run and validate with a message naming it; --ignore-broken-plugins starts the rest. */
    private void assertRefused(Path brokenFile, String... reason) throws Exception {
        JunctionProcess.Result validate = JunctionProcess.run(work, "validate", "-c", config.toString(), "--plugins", plugins.toString());
        assertThat(validate.exitCode()).as(validate.toString()).isEqualTo(1);
        assertThat(validate.stderr()).contains("error: plugin " + brokenFile).contains(reason);

        JunctionProcess.Result run = JunctionProcess.run(work, "run", "-c", config.toString(), "--plugins", plugins.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).contains("plugin " + brokenFile).contains("--ignore-broken-plugins");
        assertThat(run.stderr()).doesNotContain("Exception in thread");

        try (JunctionProcess junction = JunctionProcess.startReady(work, "-c", config.toString(), "--plugins", plugins.toString(),
                "--ignore-broken-plugins")) {
            assertThat(junction.output()).contains("plugin " + brokenFile).contains("(ignored: --ignore-broken-plugins)");
            assertThat(Net.readLine(alphaPort)).isEqualTo("hello testlib=1\n");
            assertThat(Net.readLine(betaPort)).isEqualTo("beta testlib=v2\n");
            assertThat(junction.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    private static void rewriteDescriptor(Path jar, String content) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Files.writeString(zip.getPath("META-INF/junction/plugin.properties"), content);
        }
    }

}
