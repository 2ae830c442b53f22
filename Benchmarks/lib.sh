# Shared by the benchmark scripts: start/stop the release server and measure one path with wrk.
# Expects: $bin (release bin folder), $port, $work (scratch folder), $duration (wrk run length).

start_server() { # env is passed by the caller
  "$bin/wijkwerk" serve --hostname 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "server did not start"; tail -20 "$work/server.log"; exit 1
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

measure() { # label path [lua box | -H header]
  local label=$1 path=$2 script=()
  if [ "${3:-}" = "-H" ]; then
    script=(-H "$4")
  elif [ "${3:-}" = "-s" ]; then
    script=(-s "$4")
  elif [ -n "${3:-}" ]; then
    read -r MINLON MINLAT MAXLON MAXLAT <<<"$3"; export MINLON MINLAT MAXLON MAXLAT
    script=(-s "$work/locate.lua")
  fi
  wrk -t2 -c32 -d2s "${script[@]}" "http://127.0.0.1:$port$path" >/dev/null
  local result; result=$(wrk -t2 -c32 -d"$duration" --latency "${script[@]}" "http://127.0.0.1:$port$path")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$result")
  p50=$(awk '$1=="50%"{print $2}' <<<"$result")
  p99=$(awk '$1=="99%"{print $2}' <<<"$result")
  non2xx=$(awk '/Non-2xx/{print $NF}' <<<"$result")
  echo "| $label | \`$path\` | ${rps%.*} | $p50 | $p99 | ${non2xx:-0} |"
}

