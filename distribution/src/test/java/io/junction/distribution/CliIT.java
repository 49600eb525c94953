package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** validate, schema, version, and the errors a user meets first, through the real launcher. */
@Timeout(120)
class CliIT {

    @TempDir
    Path work;

    @Test
    void versionNamesJunctionApiAndJava() throws Exception {
        JunctionProcess.Result result = JunctionProcess.run(work, "version");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("Junction 0.1.0-SNAPSHOT (platform API 1.5, Java ");
    }

    @Test
    void validateAcceptsTheBundledConfigWithoutBindingItsPorts() throws Exception {
        // Hold the demo's front port: validate must not try to bind it.
        try (ServerSocket taken = new ServerSocket(8080, 1, InetAddress.getByName(Net.LOOPBACK))) {
            JunctionProcess.Result result = JunctionProcess.run(work, "validate",
                    "-c", JunctionProcess.dist().resolve("conf/junction.json").toString());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).contains("valid (3 pipelines, 1 upstreams)");
        }
    }

    @Test
    void optionsBeforeASubcommandAreRefusedNotSilentlyDropped() throws Exception {
        JunctionProcess.Result result = JunctionProcess.run(work, "-c", "/nonexistent/junction.json", "validate");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.stderr()).contains("options before 'validate' are not passed to it; put them after it, "
                + "e.g. 'junction validate --config /nonexistent/junction.json'");
    }

    @Test
    void validateReportsEveryErrorWithItsJsonPath() throws Exception {
        Path bad = Configs.write(work, "bad.json", """
                {
                  "pipelines": [
                    { "name": "front", "listen": "127.0.0.1:18080", "protocol": { "type": "tpc" }, "upstream": "web" },
                    { "name": "other", "listen": "127.0.0.1:18081", "protocol": { "type": "tcp", "connectTimeout": 5 },
                      "upstream": "missing" },
                    { "name": "third", "listen": "127.0.0.1:18081", "protocol": { "type": "respond", "colour": "red" } }
                  ],
                  "upstreams": [
                    { "name": "web", "endpoints": [] },
                    { "name": "api", "endpoints": [ "127.0.0.1:9000" ], "balancer": { "type": "fastest" } }
                  ],
                  "extra": true
                }
                """);
        JunctionProcess.Result result = JunctionProcess.run(work, "validate", "-c", bad.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr())
                .contains(bad + ": ")
                .contains("extra: unknown field; expected one of [admin, drainTimeout, pipelines, upstreams]")
                .contains("pipelines[0].protocol.type: unknown protocol handler type 'tpc'; the protocol handler types loaded are [http, respond, tcp]")
                .contains("pipelines[1].protocol.connectTimeout: expected a duration like \"2s\" or \"150ms\", got the number 5")
                .contains("pipelines[1].upstream: no upstream named 'missing'")
                .contains("pipelines[2].protocol.colour: unknown field; expected one of [body, headers, idleTimeout, maxHeaderSize, status]")
                .contains("upstreams[0].endpoints: needs at least one endpoint")
                .contains("upstreams[1].balancer.type: unknown balancer type 'fastest'; the balancer types loaded are [least-connections, least-requests, maglev, p2c, random, ring-hash, round-robin]");
    }

    @Test
    void twoPipelinesOnOneAddressAreAnError() throws Exception {
        Path clash = Configs.write(work, "clash.json", """
                { "pipelines": [
                    { "name": "a", "listen": "127.0.0.1:18090", "protocol": { "type": "respond" } },
                    { "name": "b", "listen": "127.0.0.1:18090", "protocol": { "type": "respond" } } ] }
                """);
        JunctionProcess.Result result = JunctionProcess.run(work, "validate", "-c", clash.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("pipelines[1].listen: 127.0.0.1:18090 is already the address of pipelines[0]");
    }

    @Test
    void runReportsAPortAlreadyInUseWithItsPathAndExits1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Net.LOOPBACK))) {
            int free = Net.freePort();
            Path config = Configs.write(work, "inuse.json", """
                    { "pipelines": [
                        { "name": "ok", "listen": "127.0.0.1:%d", "protocol": { "type": "respond" } },
                        { "name": "taken", "listen": "127.0.0.1:%d", "protocol": { "type": "respond" } } ] }
                    """.formatted(free, taken.getLocalPort()));
            JunctionProcess.Result result = JunctionProcess.run(work, "run", "-c", config.toString());
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.stderr()).contains("pipelines[1].listen: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the address is already in use").contains("Junction did not start.");
        }
    }

    @Test
    void missingConfigFileAndMalformedJsonAreClearErrors() throws Exception {
        JunctionProcess.Result missing = JunctionProcess.run(work, "validate", "-c", work.resolve("nope.json").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("nope.json: 1 error").contains("no such file");

        Path broken = Configs.write(work, "broken.json", "{ \"pipelines\": [ }");
        JunctionProcess.Result malformed = JunctionProcess.run(work, "validate", "-c", broken.toString());
        assertThat(malformed.exitCode()).isEqualTo(1);
        assertThat(malformed.stderr()).contains("line 1, column").contains("not valid JSON");
    }

    @Test
    void schemaCoversTheRuntimeAndThePluginsPresent() throws Exception {
        JunctionProcess.Result result = JunctionProcess.run(work, "schema");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout())
                .contains("\"$schema\" : \"https://json-schema.org/draft/2020-12/schema\"")
                .contains("\"const\" : \"tcp\"")
                .contains("\"const\" : \"respond\"")
                .contains("\"const\" : \"round-robin\"")
                .contains("\"connectTimeout\"")
                .contains("\"additionalProperties\" : false");
    }

    @Test
    void unknownCommandIsAUsageError() throws Exception {
        JunctionProcess.Result result = JunctionProcess.run(work, "frobnicate");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("Unmatched argument");
    }
}
