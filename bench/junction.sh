#!/usr/bin/env bash
# Starts the built distribution as the proxy under test for ../shared/bench/run.sh, on
# 127.0.0.1:$BENCH_PORT in front of $BENCH_BACKENDS, as the harness's BENCH_MODE asks:
#   l4 - a tcp pipeline, round-robin per connection; JUNCTION_SPLICE=true|false (default true)
#        and JUNCTION_SPLICE_AFTER (default 64KB) choose zero-copy forwarding;
#   l7 - an http pipeline, each request balanced round-robin over pooled keep-alive connections;
#        with BENCH_H2_PORT, a second one there for h2c clients (any http listener takes both).
# JUNCTION_EVENT_LOOPS sets the event loops (1 by default, like the peers' single worker);
# JUNCTION_DIST another build to run. JUNCTION_AS_PEERS=1 (l7) makes Junction do the header work
# the peers' configs do: no X-Forwarded-*/Via added, no request limit per backend connection
# (HAProxy adds no forwarding header without `option forwardfor`, nginx none without
# `proxy_set_header`, and both peers reuse backend connections without limit); by default
# Junction runs on its own defaults. Runs in the foreground, as the harness wants.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dist="${JUNCTION_DIST:-$here/../distribution/target/junction}"
work="${BENCH_WORKDIR:-$(mktemp -d)}"
endpoints=$(echo "$BENCH_BACKENDS" | sed 's/[^,]*/"&"/g')
case "${BENCH_MODE:-l4}" in
  l4) protocol="{ \"type\": \"tcp\", \"splice\": ${JUNCTION_SPLICE:-true}, \"spliceAfter\": \"${JUNCTION_SPLICE_AFTER:-64KB}\" }" ;;
  l7) if [[ ${JUNCTION_AS_PEERS:-0} == 1 ]]; then
        protocol='{ "type": "http", "idleTimeout": "120s", "xForwardedFor": "off", "via": false, "maxRequestsPerConnection": 0 }'
      else
        protocol='{ "type": "http", "idleTimeout": "120s" }'
      fi ;;
  *) echo "BENCH_MODE must be l4 or l7, got $BENCH_MODE" >&2; exit 2 ;;
esac
h2=""
if [[ ${BENCH_MODE:-l4} == l7 && -n ${BENCH_H2_PORT:-} ]]; then
  h2=", { \"name\": \"bench-h2\", \"listen\": \"127.0.0.1:$BENCH_H2_PORT\", \"protocol\": $protocol, \"upstream\": \"backends\" }"
fi
cat > "$work/junction-bench.json" <<JSON
{
  "pipelines": [
    { "name": "bench", "listen": "127.0.0.1:$BENCH_PORT", "protocol": $protocol, "upstream": "backends" }$h2
  ],
  "upstreams": [ { "name": "backends", "endpoints": [ $endpoints ] } ]
}
JSON
# The heap is committed at start (-Xms, pre-touched), so RSS growth under load is memory outside the
# Java heap only: the objects of held connections do not show in the harness's idle bytes/conn
# (bench/http/idle-heap.sh measures them).
export JUNCTION_OPTS="${JUNCTION_OPTS:--Xms256m -Xmx256m -XX:+AlwaysPreTouch}"
exec "$dist/bin/junction" run -c "$work/junction-bench.json" --event-loops "${JUNCTION_EVENT_LOOPS:-1}"
