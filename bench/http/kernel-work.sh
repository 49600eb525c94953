#!/usr/bin/env bash
# What the kernel is asked to do per proxied HTTP/1.1 keep-alive request, by HAProxy (mode http) and
# by Junction: system calls by kind and context switches of the proxy's process (perf's tracepoints,
# counted, not sampled), and TCP segments sent on loopback by everything in the run (nstat; the
# client and the backend are the same for both, so a difference is the proxy's). Most of a proxy's
# CPU per small request is the kernel's TCP work (about 70 % for both here), so this tells how much
# of a CPU difference the proxy's own code can explain: with the same calls and segments, only the
# user-space part differs.
#
#   bench/http/kernel-work.sh [SECONDS]     (default 6; JUNCTION_DIST=another build, JUNCTION_AS_PEERS=1
#                                            for the peers' header work, PATH_=/16k for 16 KiB responses)
# Per target: wrk -t1 -c50 (15 s of warm-up first), then SECONDS of counting while wrk runs. Needs perf with tracepoint
# access (root) and nstat (iproute2). Loopback only; everything stops by itself.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shared="${SHARED_BENCH:-$here/../../../shared/bench}"
seconds="${1:-6}"
path="${PATH_:-/small}"
for tool in nginx haproxy wrk perf nstat pgrep; do
  command -v "$tool" > /dev/null || { echo "kernel-work.sh: $tool is needed" >&2; exit 2; }
done
perf stat -e raw_syscalls:sys_enter true > /dev/null 2>&1 \
  || { echo "kernel-work.sh: perf cannot count tracepoints here (root and tracefs are needed)" >&2; exit 2; }
BACKEND_PORTS=(19801 19802) BACKEND_H2_PORT=19803 PROXY_MAXCONN=4000 NGINX_WORKER_CONNS=4000
# shellcheck source=bench/http/lib.sh
source "$here/lib.sh"
start_backend
start_haproxy 19810
BENCH_MODE=l7 BENCH_PORT=19820 BENCH_BACKENDS=127.0.0.1:19801,127.0.0.1:19802 BENCH_WORKDIR="$work" \
  setsid "$here/../junction.sh" > "$work/junction.log" 2>&1 < /dev/null &
pids+=($!)
for p in 19801 19810 19820; do
  wait_listening "$p" kernel-work.sh
done
events=raw_syscalls:sys_enter,context-switches
for call in recvfrom sendto read write readv writev epoll_wait epoll_pwait epoll_pwait2 epoll_ctl clock_gettime futex; do
  [[ -d /sys/kernel/tracing/events/syscalls/sys_enter_$call || -d /sys/kernel/debug/tracing/events/syscalls/sys_enter_$call ]] \
    && events+=",syscalls:sys_enter_$call"
done
for target in haproxy:19810:"${pids[1]}" junction:19820:"${pids[2]}"; do
  IFS=: read -r name port group <<< "$target"
  pid=$(pgrep -g "$group" -x haproxy || pgrep -g "$group" java | head -1)
  pid=$(echo "$pid" | tail -1)
  timeout 40 wrk -t1 -c50 -d15s "http://127.0.0.1:$port$path" > /dev/null
  nstat -n
  # perf counts the proxy for exactly as long as wrk runs, so the counts divide by wrk's total of requests.
  timeout $((seconds + 30)) perf stat -x, -o "$work/perf-$name.txt" -e "$events" -p "$pid" -- \
    wrk -t1 -c50 -d"${seconds}s" "http://127.0.0.1:$port$path" > "$work/wrk-$name.txt"
  nstat > "$work/nstat-$name.txt"
  python3 - "$name" "$work/wrk-$name.txt" "$work/perf-$name.txt" "$work/nstat-$name.txt" <<'PY'
import re, sys
name, wrk, perf, nstat = sys.argv[1:]
text = open(wrk).read()
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
total = float(re.search(r"(\d+) requests in", text).group(1))
counted = total
print(f"\n{name}: {rate:,.0f} req/s")
for line in open(perf):
    fields = line.strip().split(",")
    if len(fields) > 2 and fields[0].replace(".", "").isdigit():
        event = fields[2].replace("syscalls:sys_enter_", "").replace("raw_syscalls:sys_enter", "all system calls")
        value = float(fields[0]) / counted
        if value >= 0.001:
            print(f"  {event:<20} {value:8.3f} per request")
for line in open(nstat):
    fields = line.split()
    if fields and fields[0] in ("TcpOutSegs", "TcpExtTCPPureAcks", "TcpExtDelayedACKs", "TcpRetransSegs"):
        print(f"  {fields[0]:<20} {int(fields[1]) / total:8.3f} per request (all processes)")
PY
done
