#!/usr/bin/env bash
# What an idle keep-alive HTTP/1.1 client connection costs Junction, on the Java heap and outside it.
# ../shared/bench's idle scenario measures RSS growth only, and bench/junction.sh commits and touches
# the whole heap at start (-Xms = -Xmx, AlwaysPreTouch), so the objects of the held connections
# never show there. This starts the built distribution as junction.sh does (l7, defaults) in front
# of a backend nginx from ../shared/bench's generator, holds N connections that each made one
# request (Python asyncio client), and reads the live heap after a full GC (`jcmd GC.class_histogram`)
# and the RSS, before and while they are held; then prints both per connection and the classes that
# grew most. Loopback only; everything stops by itself.
#
#   bench/http/idle-heap.sh [CONNECTIONS]       (default 5000; JUNCTION_DIST=another build; TOP=N classes, default 15)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shared="${SHARED_BENCH:-$here/../../../shared/bench}"
n="${1:-5000}"
for tool in nginx python3 jcmd wrk; do
  command -v "$tool" > /dev/null || { echo "idle-heap.sh: $tool is needed" >&2; exit 2; }
done
ulimit -n "$(ulimit -Hn)"
(( n + 100 < $(ulimit -n) )) || { echo "idle-heap.sh: $n connections need more than $(ulimit -n) descriptors" >&2; exit 2; }
BACKEND_PORTS=(19701 19702) BACKEND_H2_PORT=19703 NGINX_WORKER_CONNS=4000
# shellcheck source=bench/http/lib.sh
source "$here/lib.sh"
start_backend
port=19720
BENCH_MODE=l7 BENCH_PORT=$port BENCH_BACKENDS=127.0.0.1:19701,127.0.0.1:19702 BENCH_WORKDIR="$work" \
  setsid "$here/../junction.sh" > "$work/junction.log" 2>&1 < /dev/null &
pids+=($!)
wait_listening "$port" idle-heap.sh
pid=$(pgrep -g "${pids[1]}" java | head -1)
timeout 30 wrk -t1 -c50 -d5s "http://127.0.0.1:$port/small" > /dev/null # the code paths warm, pools made
histogram() { jcmd "$pid" GC.class_histogram > "$1"; } # a full GC first: live objects only
rss() { awk '/VmRSS/ { print $2 * 1024 }' "/proc/$pid/status"; }
histogram "$work/before.txt"; rss0=$(rss)
python3 - "$port" "$n" "$work/held" <<'PY' &
import asyncio, resource, sys, os
port, n, flag = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
async def one(held):
    r, w = await asyncio.open_connection('127.0.0.1', port)
    w.write(b'GET /small HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    head = await r.readuntil(b'\r\n\r\n')
    length = next(int(l.split(b':')[1]) for l in head.split(b'\r\n') if l.lower().startswith(b'content-length:'))
    await r.readexactly(length)
    held.append(w)
async def main():
    held = []
    for start in range(0, n, 200):
        await asyncio.wait_for(asyncio.gather(*(one(held) for _ in range(start, min(n, start + 200)))), 30)
    open(flag, 'w').write(str(len(held)))
    await asyncio.sleep(30) # the histogram is taken meanwhile; the connections close when this ends
    for w in held:
        w.close()
asyncio.run(main())
PY
client=$!
for ((t = 0; t < 240; t++)); do [[ -s $work/held ]] && break; sleep 0.5; done
[[ -s $work/held ]] || { echo "idle-heap.sh: the client did not get its $n connections up" >&2; exit 1; }
sleep 2
histogram "$work/held.txt"; rss1=$(rss)
kill "$client" 2> /dev/null || true
python3 - "$work/before.txt" "$work/held.txt" "$n" "$rss0" "$rss1" "${TOP:-15}" <<'PY'
import sys
def load(path):
    classes = {}
    for line in open(path):
        f = line.split()
        if len(f) >= 4 and f[0].endswith(':'):
            classes[f[3]] = (int(f[1]), int(f[2]))
    return classes
before, held, n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
rows = sorted(((b - before.get(k, (0, 0))[1], c - before.get(k, (0, 0))[0], k) for k, (c, b) in held.items()), reverse=True)
heap = sum(r[0] for r in rows)
rss = int(sys.argv[5]) - int(sys.argv[4])
print(f"{n} idle connections: Java heap {heap / n:,.0f} B/conn (live, after full GC), RSS {rss / n:,.0f} B/conn, "
      f"together {(heap + rss) / n:,.0f} B/conn")
for size, count, name in rows[:int(sys.argv[6])]:
    print(f"  {size / n:7.1f} B/conn  {count / n:5.2f} objects/conn  {name}")
PY
