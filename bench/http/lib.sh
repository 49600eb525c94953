# Shared by the scripts in bench/http: a work directory whose processes stop with the script, a
# backend nginx and HAProxy from ../shared/bench's generators, and waiting for a port. Source it
# after setting `shared` (the ../shared/bench directory); BACKEND_PORTS, BACKEND_H2_PORT,
# NGINX_WORKER_CONNS and PROXY_MAXCONN are the generators' settings.
# shellcheck source=/dev/null
source "$shared/lib/common.sh"
# shellcheck source=/dev/null
source "$shared/lib/peers.sh"
BACKEND_WORKERS=1 PEER_WORKERS=1 FD_LIMIT=$(ulimit -Hn)
work="$(mktemp -d)"
chmod a+rx "$work" # nginx workers run as another user and read the files below it
pids=()
cleanup() { for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Starts the backend nginx (pids[0]) on BACKEND_PORTS.
start_backend() {
  gen_backend "$work/backend"
  setsid nginx -p "$work/backend" -c "$work/backend/nginx.conf" -e "$work/backend/error.log" > "$work/backend.log" 2>&1 < /dev/null &
  pids+=($!)
}

# Starts HAProxy (mode http, from the shared generator) on 127.0.0.1:$1 in front of BACKEND_PORTS, as the next pids entry.
start_haproxy() {
  gen_haproxy "$work/haproxy" http "$1"
  setsid haproxy -f "$work/haproxy/haproxy.cfg" > "$work/haproxy.log" 2>&1 < /dev/null &
  pids+=($!)
}

# Waits up to 60 s for something to accept on 127.0.0.1:$1; says what failed, with $2 (the caller's name).
wait_listening() {
  local t
  for ((t = 0; t < 300; t++)); do
    timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2> /dev/null && return 0
    sleep 0.2
  done
  echo "$2: nothing listens on 127.0.0.1:$1 after 60 s (logs in $work)" >&2
  exit 1
}
