#!/usr/bin/env bash
# Starts the built distribution as the layer 4 proxy under test for ../shared/bench/run.sh:
# a tcp pipeline on 127.0.0.1:$BENCH_PORT, round-robin per connection over $BENCH_BACKENDS.
# JUNCTION_SPLICE=true|false chooses zero-copy forwarding (default true, after JUNCTION_SPLICE_AFTER, 64KB); JUNCTION_EVENT_LOOPS the event loops
# (1 by default, like the peers' single worker). Runs in the foreground, as the harness wants.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dist="${JUNCTION_DIST:-$here/../distribution/target/junction}"
work="${BENCH_WORKDIR:-$(mktemp -d)}"
endpoints=$(echo "$BENCH_BACKENDS" | sed 's/[^,]*/"&"/g')
cat > "$work/junction-l4.json" <<JSON
{
  "pipelines": [
    { "name": "bench", "listen": "127.0.0.1:$BENCH_PORT",
      "protocol": { "type": "tcp", "splice": ${JUNCTION_SPLICE:-true}, "spliceAfter": "${JUNCTION_SPLICE_AFTER:-64KB}" },
      "upstream": "backends" }
  ],
  "upstreams": [ { "name": "backends", "endpoints": [ $endpoints ] } ]
}
JSON
# The heap is committed at start (-Xms, pre-touched), so RSS growth under load is what connections cost.
export JUNCTION_OPTS="${JUNCTION_OPTS:--Xms256m -Xmx256m -XX:+AlwaysPreTouch}"
exec "$dist/bin/junction" run -c "$work/junction-l4.json" --event-loops "${JUNCTION_EVENT_LOOPS:-1}"
