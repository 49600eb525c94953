#!/usr/bin/env bash
# Paired comparison of HTTP/1.1 keep-alive proxying: HAProxy (mode http) and one or more Junction
# builds/configs, in short alternating rounds, so that each Junction figure is a ratio to HAProxy
# measured seconds apart. On this shared 2-core machine the CPU cost of one 10 s run moves by ±10 %
# from run to run (other tenants); a ratio taken within one round of a few seconds moves far less,
# and the median of the rounds' ratios is what to quote. ../shared/bench/run.sh stays the reference
# table (all peers, all scenarios); this answers "is build B cheaper than HAProxy / than build A".
#
#   bench/http/paired.sh [ROUNDS] [SECONDS]         (defaults 10 8)
# Targets are HAProxy plus one Junction per TARGETS entry, NAME=DIST[:peers]:
#   TARGETS="new=distribution/target/junction old=/tmp/jdist-old new-aspeers=distribution/target/junction:peers"
# (default: the built distribution, on its defaults). ":peers" runs it with JUNCTION_AS_PEERS=1 (see
# bench/junction.sh). PATH_=/16k for 16 KiB responses (default /small, 100 bytes). The order of the
# targets rotates every round. Per round and target: wrk -c50 for SECONDS (after 2 s of the same
# load unmeasured), CPU time of the proxy per request from /proc, user and system apart too. Loopback only; the
# backend (nginx) and HAProxy come from ../shared/bench's generators; everything stops by itself.
# Each JVM start carries its own few per cent (JIT decisions, code placement): to compare builds or
# configs, list each several times (new1=DIST new2=DIST ...) and read the spread across the copies.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shared="${SHARED_BENCH:-$here/../../../shared/bench}"
rounds="${1:-10}" seconds="${2:-8}"
path="${PATH_:-/small}"
targets="${TARGETS:-junction=$here/../../distribution/target/junction}"
for tool in nginx haproxy wrk python3 pgrep; do
  command -v "$tool" > /dev/null || { echo "paired.sh: $tool is needed (../shared/bench/setup.sh)" >&2; exit 2; }
done
BACKEND_PORTS=(19601 19602) BACKEND_H2_PORT=19603 PROXY_MAXCONN=4000 NGINX_WORKER_CONNS=4000
# shellcheck source=bench/http/lib.sh
source "$here/lib.sh"
start_backend
start_haproxy 19610
names=(haproxy) ports=(19610) roots=("${pids[1]}")
port=19620
for spec in $targets; do
  name="${spec%%=*}" rest="${spec#*=}" peers=0
  if [[ $rest == *:peers ]]; then rest="${rest%:peers}" peers=1; fi
  mkdir -p "$work/$name"
  JUNCTION_AS_PEERS=$peers BENCH_MODE=l7 BENCH_PORT=$port BENCH_BACKENDS=127.0.0.1:19601,127.0.0.1:19602 \
    BENCH_WORKDIR="$work/$name" JUNCTION_DIST="$rest" setsid "$here/../junction.sh" > "$work/$name.log" 2>&1 < /dev/null &
  pids+=($!) names+=("$name") ports+=("$port") roots+=("$!")
  port=$((port + 1))
done
for p in 19601 19610 "${ports[@]}"; do
  wait_listening "$p" paired.sh
done
# CPU ticks of a process and its children still alive: "user system".
ticks() { local user=0 sys=0 p u s; for p in $(pgrep -g "$1" 2>/dev/null || echo "$1"); do
  if [[ -r /proc/$p/stat ]]; then read -r u s < <(awk '{ print $14, $15 }' "/proc/$p/stat"); user=$((user + u)) sys=$((sys + s)); fi
  done; echo "$user $sys"; }
hz=$(getconf CLK_TCK)
echo "warming up (15 s per target)" >&2
for i in "${!names[@]}"; do timeout 40 wrk -t1 -c50 -d15s "http://127.0.0.1:${ports[i]}$path" > /dev/null; done
results="$work/rounds.txt"
for ((r = 1; r <= rounds; r++)); do
  n=${#names[@]}
  for ((k = 0; k < n; k++)); do
    i=$(( (k + r) % n ))
    timeout $((seconds + 30)) wrk -t1 -c50 -d$((seconds + 2))s "http://127.0.0.1:${ports[i]}$path" > "$work/wrk.txt" &
    load=$!
    sleep 2
    read -r u0 s0 < <(ticks "${roots[i]}"); t0=$(date +%s.%N)
    sleep "$seconds"
    read -r u1 s1 < <(ticks "${roots[i]}"); t1=$(date +%s.%N)
    c0=$((u0 + s0)) c1=$((u1 + s1))
    wait "$load"
    rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.txt")
    errors=$(grep -c "Non-2xx\|Socket errors" "$work/wrk.txt" || true)
    ((errors == 0)) || grep "Non-2xx\|Socket errors" "$work/wrk.txt" >&2
    echo "$r ${names[i]} $rps $c0 $c1 $t0 $t1 $errors $((u1 - u0)) $((s1 - s0))" >> "$results"
    printf 'round %d %-16s %8.0f req/s  %6.2f µs CPU/req\n' "$r" "${names[i]}" "$rps" \
      "$(python3 -c "print(($c1 - $c0) / $hz / ($rps * ($t1 - $t0)) * 1e6)")" >&2
  done
done
python3 - "$results" "$hz" "${names[@]}" <<'PY'
import statistics, sys
path, hz, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
cpu, rate, user, system = {}, {}, {}, {}
for line in open(path):
    r, name, rps, c0, c1, t0, t1, errors, du, ds = line.split()
    rps = float(rps)
    requests = rps * (float(t1) - float(t0))
    cpu.setdefault(name, {})[r] = (int(c1) - int(c0)) / hz / requests * 1e6
    user.setdefault(name, {})[r] = int(du) / hz / requests * 1e6
    system.setdefault(name, {})[r] = int(ds) / hz / requests * 1e6
    rate.setdefault(name, {})[r] = rps
    if int(errors):
        print(f"WARNING: {name} round {r} had errors (see wrk output)")
print(f"\n| target | median µs CPU/req | user / system µs | median req/s | CPU ×HAProxy (median of rounds) | user ×HAProxy | system ×HAProxy | rounds cheaper than HAProxy | req/s ×HAProxy (median) |")
print("|---|---|---|---|---|---|---|---|---|")
for name in names:
    rounds = sorted(cpu[name])
    ratios = [cpu[name][r] / cpu["haproxy"][r] for r in rounds]
    rates = [rate[name][r] / rate["haproxy"][r] for r in rounds]
    cheaper = sum(1 for x in ratios if x < 1)
    users = [user[name][r] / user["haproxy"][r] for r in rounds]
    systems = [system[name][r] / system["haproxy"][r] for r in rounds]
    print(f"| {name} | {statistics.median(cpu[name].values()):.2f} | {statistics.median(user[name].values()):.2f} / "
          f"{statistics.median(system[name].values()):.2f} | {statistics.median(rate[name].values()):,.0f} | "
          f"{statistics.median(ratios):.3f} | {statistics.median(users):.3f} | {statistics.median(systems):.3f} | "
          f"{cheaper}/{len(ratios)} | {statistics.median(rates):.3f} |")
PY
