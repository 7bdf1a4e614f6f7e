#!/usr/bin/env bash
# The service under load, on this machine: builds the release binary, starts it on a fresh
# SQLite database and then on PostgreSQL, warms up, and measures with wrk (32 connections,
# 10 s each): GET /healthz, GET /jobs/{slug}/apply and POST JSON applications (every body
# unique, about 1 KB of answers). Prints a Markdown table: req/s, p50, p99, and the server's
# peak RSS, plus the time from start to the first healthy answer on an existing database.
#
#   benches/load.sh                  # both backends (PostgreSQL at 127.0.0.1:5432, user postgres)
#   BACKENDS=sqlite benches/load.sh  # one
#
# wrk shares the two cores with the server, as it would on this kind of machine.
set -euo pipefail
cd "$(dirname "$0")/.."

BACKENDS="${BACKENDS:-sqlite postgres}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
PG_ADMIN="${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
PORT="${PORT:-18080}"
SLUG=peer-support-specialist

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1; }
cargo build --release --quiet
BIN=target/release/peerhire
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

# Unique, realistic application bodies: each request a new email and new answers.
cat >"$work/post.lua" <<'LUA'
local counter = 0
local thread_id = 0
function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
function init(args)
  math.randomseed(os.time() + tid)
end
local q3a = "When someone is scared ("
local q3b = "), I start by listening for what they hope for, even if it is small. I tell them how hope came back for me one ordinary day at a time, and I ask what a good week would look like for them. Then we plan one step toward it together, and we notice it when it happens."
local q4 = "At our first meeting I ask what they want from our time and I say what I need too, like being on time and being honest when something is not working. We write our agreements in plain words and check on them every few weeks, so either of us can change them without it being a big deal."
local q5 = "I tell them I am not there to fix anything, because nobody fixed me either. When we learn together, each of us brings what we have lived, and the answers we find are ours, so they tend to last. It also means I keep learning, which keeps the relationship honest and equal."
function request()
  counter = counter + 1
  local id = tid .. "-" .. counter .. "-" .. math.random(1, 1000000000)
  local body = '{"name":"Load Tester ' .. id .. '","email":"load-' .. id .. '@example.org",' ..
    '"answers":{"q1":"both","q2":"yes","q3":"' .. q3a .. id .. q3b .. '","q4":"' .. q4 ..
    '","q5":"' .. q5 .. '"},"attestations":{"diploma":"yes","cipss_status":"none"}}'
  return wrk.format("POST", "/api/v1/jobs/peer-support-specialist/applications",
    {["Content-Type"] = "application/json"}, body)
end
function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("LUA_STATUS_ERRORS %d\n", non2xx))
end
LUA

wait_healthy() {
  for _ in $(seq 1 3000); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
    sleep 0.01
  done
  echo "the server did not become healthy" >&2
  return 1
}

start_server() {
  PEERHIRE_DATABASE_URL="$1" PEERHIRE_SECRET_KEY="load-test-secret-key-0123456789abcdef" \
    PEERHIRE_LOG=warn PEERHIRE_FORMS_DIR=forms \
    "$BIN" serve --bind "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
  server=$!
}

# "12345.67 req/s  p50 1.23ms  p99 4.56ms" from wrk --latency output.
summarise() {
  awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx/ { non2xx = $NF }
    /LUA_STATUS_ERRORS/ { non2xx = $2 }
    END { printf "| %s | %s | %s | %s |", rps, p50, p99, (non2xx == "" ? 0 : non2xx) }
  ' "$1"
}

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); wrk -t2 -c$CONNECTIONS -d$DURATION"
echo
echo "| backend | endpoint | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
for backend in $BACKENDS; do
  case "$backend" in
    sqlite) url="$work/load.db" ;;
    postgres)
      db="peerhire_load_$$"
      psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $db" -qc "CREATE DATABASE $db" >/dev/null 2>&1
      url="${PG_ADMIN%/*}/$db" ;;
  esac
  # First start migrates; the second measures start-up on an existing database.
  start_server "$url"; wait_healthy; kill "$server"; wait "$server" 2>/dev/null || true
  t0=$(date +%s%N); start_server "$url"; wait_healthy; t1=$(date +%s%N)
  startup_ms=$(( (t1 - t0) / 1000000 ))
  base="http://127.0.0.1:$PORT"
  wrk -t2 -c"$CONNECTIONS" -d3s "$base/healthz" >/dev/null          # warm up
  wrk -t2 -c"$CONNECTIONS" -d2s -s "$work/post.lua" "$base" >/dev/null
  for endpoint in /healthz "/jobs/$SLUG/apply"; do
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$base$endpoint" >"$work/out.txt"
    echo "| $backend | GET $endpoint $(summarise "$work/out.txt")"
  done
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/post.lua" "$base" >"$work/out.txt"
  echo "| $backend | POST /api/v1/jobs/$SLUG/applications $(summarise "$work/out.txt")"
  rss_kib=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
  echo "| $backend | peak RSS of the server: $((rss_kib / 1024)) MiB; start to first healthy answer (existing database): ${startup_ms} ms | | | | |"
  kill "$server"; wait "$server" 2>/dev/null || true
  [ "$backend" = postgres ] && psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $db" >/dev/null
done
