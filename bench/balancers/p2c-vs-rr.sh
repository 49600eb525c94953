#!/usr/bin/env bash
# Tail latency with one slow backend of three: the same load through Junction with each balancer.
# Two fast backends (nginx, one worker each, answering from memory) and one slow one (DelayBackend,
# the JDK's HttpServer, answering after SLOW_MS) on loopback; one Junction http pipeline per
# balancer. Two loads per balancer: a moderate fixed rate (h2load --h1 --rps, RATE requests/s in all,
# per-request latencies from its log) for the percentiles, and wrk at full speed for the most
# requests/s (its tail is then mostly CPU queueing on this 2-core box, not the balancer).
# Prints one table.
# Usage: bench/balancers/p2c-vs-rr.sh   (after mvn package; JUNCTION_DIST=... for another build)
# Knobs: SLOW_MS (default 50), DURATION (seconds, 15), CONNECTIONS (8), RATE (2000 requests/s),
# BALANCERS (space-separated JSON objects).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dist="${JUNCTION_DIST:-$here/../../distribution/target/junction}"
slow="${SLOW_MS:-50}"
duration="${DURATION:-15}"
connections="${CONNECTIONS:-8}"
rate="${RATE:-2000}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }

b1=$(free_port); b2=$(free_port); b3=$(free_port)
for b in "$b1" "$b2"; do
  mkdir -p "$work/nginx-$b"
  cat > "$work/nginx-$b/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx-$b/nginx.pid;
error_log $work/nginx-$b/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx-$b; proxy_temp_path $work/nginx-$b; fastcgi_temp_path $work/nginx-$b;
  uwsgi_temp_path $work/nginx-$b; scgi_temp_path $work/nginx-$b;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$b; location / { return 200 "fast-$b\n"; } }
}
NGINX
  nginx -c "$work/nginx-$b/nginx.conf" -p "$work/nginx-$b" -g 'daemon off;' & pids+=($!)
done
java -Dsun.net.httpserver.nodelay=true "$here/DelayBackend.java" "$b3" "$slow" slow & pids+=($!)
wait_port "$b1"; wait_port "$b2"; wait_port "$b3"

default_balancers='{"type":"round-robin"} {"type":"least-requests"} {"type":"p2c"} {"type":"p2c","peakEwma":true}'
printf '%-32s %8s %8s %8s %8s %8s %12s\n' balancer 'rate' 'p50 ms' 'p90 ms' 'p99 ms' 'max ms' 'max req/s'
for balancer in ${BALANCERS:-$default_balancers}; do
  port=$(free_port)
  cat > "$work/junction.json" <<JSON
{ "pipelines": [ { "name": "front", "listen": "127.0.0.1:$port", "protocol": { "type": "http" }, "upstream": "three" } ],
  "upstreams": [ { "name": "three", "balancer": $balancer,
                   "endpoints": [ "127.0.0.1:$b1", "127.0.0.1:$b2", "127.0.0.1:$b3" ] } ] }
JSON
  JUNCTION_OPTS="-Xms256m -Xmx256m" "$dist/bin/junction" run -c "$work/junction.json" --event-loops 1 > "$work/junction.log" 2>&1 &
  jpid=$!; pids+=($jpid)
  wait_port "$port"
  wrk -t2 -c"$connections" -d5s "http://127.0.0.1:$port/" > /dev/null   # warm-up (JIT, pools, EWMA)
  rm -f "$work/h2load.log"
  h2load --h1 -c "$connections" -t 1 --rps $((rate / connections)) -D "$duration" --log-file "$work/h2load.log" \
    "http://127.0.0.1:$port/" > "$work/h2load.out"
  stats=$(awk -F'\t' '$2 == 200 { print $3 / 1000 }' "$work/h2load.log" | sort -n | awk '
    { v[NR] = $1 } END { if (NR == 0) { print "0 - - - -"; exit }
      printf "%d %.2f %.2f %.2f %.2f", NR, v[int(NR*0.50)+1], v[int(NR*0.90)+1], v[int(NR*0.99)+1], v[NR] }')
  read -r count p50 p90 p99 max <<< "$stats"
  failed=$(awk -F'\t' '$2 != 200' "$work/h2load.log" | wc -l)
  max_rate=$(wrk -t2 -c"$connections" -d"${duration}s" "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {print $2}')
  printf '%-32s %8s %8s %8s %8s %8s %12s\n' "$balancer" "$((count / duration))/s" "$p50" "$p90" "$p99" "$max" "$max_rate"
  if [ "$failed" -gt 0 ]; then echo "  ($failed requests did not answer 200)"; fi
  kill "$jpid"; wait "$jpid" 2>/dev/null || true
done
