#!/usr/bin/env bash
# Starts the built distribution as the layer 7 proxy under test for ../shared/bench/run.sh:
# an http pipeline on 127.0.0.1:$BENCH_PORT balancing each request round-robin over $BENCH_BACKENDS,
# with pooled keep-alive backend connections. JUNCTION_EVENT_LOOPS sets the event loops (1 by
# default, like the peers' single worker). Runs in the foreground, as the harness wants.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dist="${JUNCTION_DIST:-$here/../distribution/target/junction}"
work="${BENCH_WORKDIR:-$(mktemp -d)}"
endpoints=$(echo "$BENCH_BACKENDS" | sed 's/[^,]*/"&"/g')
cat > "$work/junction-l7.json" <<JSON
{
  "pipelines": [
    { "name": "bench", "listen": "127.0.0.1:$BENCH_PORT",
      "protocol": { "type": "http", "idleTimeout": "120s" },
      "upstream": "backends" }
  ],
  "upstreams": [ { "name": "backends", "endpoints": [ $endpoints ] } ]
}
JSON
# The heap is committed at start (-Xms, pre-touched), so RSS growth under load is what connections cost.
export JUNCTION_OPTS="${JUNCTION_OPTS:--Xms256m -Xmx256m -XX:+AlwaysPreTouch}"
exec "$dist/bin/junction" run -c "$work/junction-l7.json" --event-loops "${JUNCTION_EVENT_LOOPS:-1}"
