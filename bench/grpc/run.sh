#!/usr/bin/env bash
# gRPC unary calls, direct to a grpc-java backend versus through Junction (h2c in, h2c out), in one run.
# Open loop at --rate calls/s (moderate load: latency measured from each call's scheduled start), then
# the closed-loop ceiling with --concurrency calls in flight. Loopback only; everything stops by itself.
#   bench/grpc/run.sh [RATE] [SECONDS] [CONCURRENCY]      (defaults 2000 20 32)
# PIN=1 pins the load client to CPU 1 and the backend and Junction to CPU 0 (taskset), so the client
# never takes the servers' CPU; without it the scheduler places all three JVMs.
# Needs: mvn -q install (bench/grpc/target/grpc-bench.jar, distribution/target/junction).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rate="${1:-2000}" seconds="${2:-20}" concurrency="${3:-32}"
jar="$here/target/grpc-bench.jar"
dist="${JUNCTION_DIST:-$here/../../distribution/target/junction}"
work="$(mktemp -d)"
backend=19511 front=19510 admin=19519
pids=()
server_cpu=() client_cpu=()
if [[ ${PIN:-0} == 1 ]]; then server_cpu=(taskset -c 0) client_cpu=(taskset -c 1); fi
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
${server_cpu[@]+"${server_cpu[@]}"} java -jar "$jar" server $backend --seconds $((4 * seconds + 120)) > "$work/backend.log" 2>&1 & pids+=($!)
cat > "$work/junction.json" <<JSON
{ "admin": { "listen": "127.0.0.1:$admin" },
  "pipelines": [ { "name": "grpc", "listen": "127.0.0.1:$front", "protocol": { "type": "http" }, "upstream": "grpc" } ],
  "upstreams": [ { "name": "grpc", "endpoints": [ "127.0.0.1:$backend" ], "httpProtocol": "h2" } ] }
JSON
JUNCTION_OPTS="${JUNCTION_OPTS:--Xms256m -Xmx256m}" ${server_cpu[@]+"${server_cpu[@]}"} "$dist/bin/junction" run -c "$work/junction.json" --event-loops "${JUNCTION_EVENT_LOOPS:-1}" \
  > "$work/junction.log" 2>&1 & pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$admin/ready" >/dev/null && break; sleep 0.2; done
echo "# gRPC unary, $seconds s each, 64-byte messages, one client channel; work dir $work"
for target in "127.0.0.1:$backend" "127.0.0.1:$front"; do
  ${client_cpu[@]+"${client_cpu[@]}"} java -jar "$jar" load "$target" --rate "$rate" --seconds "$seconds" --warmup 10
done
for target in "127.0.0.1:$backend" "127.0.0.1:$front"; do
  ${client_cpu[@]+"${client_cpu[@]}"} java -jar "$jar" max "$target" --concurrency "$concurrency" --seconds "$seconds" --warmup 10
done
