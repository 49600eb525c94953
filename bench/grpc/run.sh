#!/usr/bin/env bash
# gRPC unary calls, direct to a grpc-java backend versus through Junction (h2c in, h2c out), in one run.
# Open loop at --rate calls/s (moderate load: latency measured from each call's scheduled start), then
# the closed-loop ceiling with --concurrency calls in flight. Loopback only; everything stops by itself.
#   bench/grpc/run.sh [RATE] [SECONDS] [CONCURRENCY]      (defaults 2000 20 32)
# ROUNDS (default 3) open-loop rounds alternate the targets, and the medians of their p50/p99 are compared
# at the end: one round's p99 moves by 2x on this shared machine. Each round also prints the CPU time per
# call of the backend and of each Junction (from /proc, warm-up included).
# COMPARE_DIST=DIR adds a second Junction (another build, e.g. the last commit's) as a third target, on
# port 19512, so that two builds are compared in one run. MAX=0 skips the ceilings.
# PIN=1 pins the load client to CPU 1 and the backend and Junction to CPU 0 (taskset), so the client
# never takes the servers' CPU; without it the scheduler places all three JVMs.
# Needs: mvn -q install (bench/grpc/target/grpc-bench.jar, distribution/target/junction).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rate="${1:-2000}" seconds="${2:-20}" concurrency="${3:-32}"
rounds="${ROUNDS:-3}"
jar="$here/target/grpc-bench.jar"
dist="${JUNCTION_DIST:-$here/../../distribution/target/junction}"
work="$(mktemp -d)"
backend=19511
pids=()
server_cpu=() client_cpu=()
if [[ ${PIN:-0} == 1 ]]; then server_cpu=(taskset -c 0) client_cpu=(taskset -c 1); fi
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
# CPU time (user + system, clock ticks) of a process so far, from /proc; sys_ticks the system part.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
sys_ticks() { awk '{ print $15 }' "/proc/$1/stat"; }

${server_cpu[@]+"${server_cpu[@]}"} java -jar "$jar" server $backend --seconds $(( (3 * rounds + 3) * (seconds + 20) + 120 )) \
  > "$work/backend.log" 2>&1 & pids+=($!)
targets=("127.0.0.1:$backend") names=(direct) cpu_pids=("${pids[0]}")
# Starts the Junction in $1 on port $2 (admin $3), named $4 in the output.
start_junction() {
  local name=$4
  cat > "$work/$name.json" <<JSON
{ "admin": { "listen": "127.0.0.1:$3" },
  "pipelines": [ { "name": "grpc", "listen": "127.0.0.1:$2", "protocol": { "type": "http" }, "upstream": "grpc" } ],
  "upstreams": [ { "name": "grpc", "endpoints": [ "127.0.0.1:$backend" ], "httpProtocol": "h2" } ] }
JSON
  JUNCTION_OPTS="${JUNCTION_OPTS:--Xms256m -Xmx256m}" ${server_cpu[@]+"${server_cpu[@]}"} "$1/bin/junction" run -c "$work/$name.json" \
    --event-loops "${JUNCTION_EVENT_LOOPS:-1}" > "$work/$name.log" 2>&1 & pids+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$3/ready" >/dev/null && break; sleep 0.2; done
  targets+=("127.0.0.1:$2") names+=("$name") cpu_pids+=("${pids[-1]}")
}
start_junction "$dist" 19510 19519 junction
if [[ -n ${COMPARE_DIST:-} ]]; then start_junction "$COMPARE_DIST" 19512 19529 compared; fi

echo "# gRPC unary, $seconds s each, 64-byte messages, one client channel; work dir $work"
ticks=$(getconf CLK_TCK)
for round in $(seq 1 "$rounds"); do
  for i in "${!targets[@]}"; do
    before_backend=$(cpu_ticks "${cpu_pids[0]}") before_target=$(cpu_ticks "${cpu_pids[$i]}") before_sys=$(sys_ticks "${cpu_pids[$i]}")
    line=$(${client_cpu[@]+"${client_cpu[@]}"} java -jar "$jar" load "${targets[$i]}" --rate "$rate" --seconds "$seconds" --warmup 10)
    calls=$(echo "$line" | awk '{ for (i = 1; i < NF; i++) { if ($i == "calls") c = $(i + 1); if ($i == "(warm-up") w = $(i + 1) } print c + w }')
    cpu=$(awk -v b=$(( $(cpu_ticks "${cpu_pids[0]}") - before_backend )) -v j=$(( $(cpu_ticks "${cpu_pids[$i]}") - before_target )) \
      -v s=$(( $(sys_ticks "${cpu_pids[$i]}") - before_sys )) -v n="$calls" -v t="$ticks" -v direct=$(( i == 0 )) \
      'BEGIN { printf "  backend %.1f us/call", b * 1e6 / t / n; if (!direct) printf "  proxy %.1f us/call (system %.1f)", j * 1e6 / t / n, s * 1e6 / t / n }')
    echo "${names[$i]} $line$cpu" | tee -a "$work/rate.txt"
  done
done
# Median over the rounds of each target's p50, p99 and proxy CPU per call, and the ratios to direct.
awk '
  function median(list, n,   sorted, i, j, t) {
    for (i = 1; i <= n; i++) sorted[i] = list[i]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
    return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
  }
  { name = $1; if (!(name in n)) order[++names] = name; k = ++n[name]; cpu = 0
    for (i = 2; i < NF; i++) { if ($i == "p50") p50[name, k] = $(i + 1); if ($i == "p99") p99[name, k] = $(i + 1); if ($i == "proxy") cpu = $(i + 1) }
    proxy[name, k] = cpu }
  END {
    for (o = 1; o <= names; o++) {
      name = order[o]
      for (k = 1; k <= n[name]; k++) { a[k] = p50[name, k]; b[k] = p99[name, k]; c[k] = proxy[name, k] }
      m50[name] = median(a, n[name]); m99[name] = median(b, n[name]); mcpu[name] = median(c, n[name])
      printf "median of %d rounds: %-9s p50 %.3f ms  p99 %.3f ms", n[name], name, m50[name], m99[name]
      if (o > 1) printf "  (%.2fx, %.2fx direct)  proxy %.1f us/call", m50[name] / m50["direct"], m99[name] / m99["direct"], mcpu[name]
      printf "\n"
    }
  }' "$work/rate.txt"
[[ ${MAX:-1} == 1 ]] || exit 0
for i in "${!targets[@]}"; do
  echo -n "${names[$i]} "
  ${client_cpu[@]+"${client_cpu[@]}"} java -jar "$jar" max "${targets[$i]}" --concurrency "$concurrency" --seconds "$seconds" --warmup 10
done
