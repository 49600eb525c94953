#!/usr/bin/env bash
# Bytes Junction's event loop allocates per proxied gRPC unary call (h2c in, h2c out), read from JFR's
# jdk.ThreadAllocationStatistics around 10 s of calls at 2,000 calls/s. Unlike CPU time it hardly moves
# with the machine's load, so it compares builds on a busy machine. Loopback only; stops by itself.
#   bench/grpc/alloc.sh [JUNCTION_DIST]
# Needs: mvn -q install (bench/grpc/target/grpc-bench.jar), and a JDK's jfr tool (JFR, or the one beside java).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dist="${1:-$here/../../distribution/target/junction}"
jar="$here/target/grpc-bench.jar"
jfr="${JFR:-$(dirname "$(readlink -f "$(command -v java)")")/jfr}"
front=19540 backend=19541 admin=19549
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
java -jar "$jar" server $backend --seconds 120 > "$work/backend.log" 2>&1 & pids+=($!)
cat > "$work/junction.json" <<JSON
{ "admin": { "listen": "127.0.0.1:$admin" },
  "pipelines": [ { "name": "grpc", "listen": "127.0.0.1:$front", "protocol": { "type": "http" }, "upstream": "grpc" } ],
  "upstreams": [ { "name": "grpc", "endpoints": [ "127.0.0.1:$backend" ], "httpProtocol": "h2" } ] }
JSON
JUNCTION_OPTS="-Xms256m -Xmx256m" "$dist/bin/junction" run -c "$work/junction.json" --event-loops 1 > "$work/junction.log" 2>&1 &
junction=$! pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$admin/ready" >/dev/null && break; sleep 0.2; done
java -jar "$jar" load "127.0.0.1:$front" --rate 2000 --seconds 10 --warmup 5 > /dev/null # warm-up: JIT, pools
cat > "$work/alloc.jfc" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">1 s</setting></event>
</configuration>
XML
jcmd "$junction" JFR.start name=alloc settings="$work/alloc.jfc" filename="$work/alloc.jfr" > /dev/null
sleep 1.5
line=$(java -jar "$jar" load "127.0.0.1:$front" --rate 2000 --seconds 10 --warmup 0)
sleep 1.5
jcmd "$junction" JFR.stop name=alloc > /dev/null
echo "$line"
calls=$(echo "$line" | awk '{ for (i = 1; i < NF; i++) if ($i == "calls") print $(i + 1) }')
# The event-loop threads' allocation counters at the first and last sample, per call made in between.
"$jfr" print --events jdk.ThreadAllocationStatistics "$work/alloc.jfr" | awk -v n="$calls" '
  /allocated = / { v = $3; gsub(/,/, "", v); m = 1; if ($4 ~ /kB/) m = 1024; if ($4 ~ /MB/) m = 1048576; if ($4 ~ /GB/) m = 1073741824; bytes = v * m }
  /thread = "junction-io/ { name = $3; if (!(name in first)) first[name] = bytes; last[name] = bytes }
  END { for (t in first) { total += last[t] - first[t] } printf "junction event loops: %.0f bytes allocated per call (%d calls)\n", total / n, n }'
