#!/usr/bin/env bash
# Memory of the running dashboard while it imports (the "500 MB at a million articles" floor, with ingestion on top).
#
#   tools/measure-import-memory.sh DATABASE [ARTICLES] [SEED] [PORT]
#
# Starts the web app (Release) on DATABASE, loads a filtered dashboard (which loads the co-mention index), uploads
# ARTICLES generated articles (default 20,000, seed SEED) as one JSON Lines file through the API, loads three pages
# every two seconds until the queue is empty, and prints VmRSS and VmHWM (peak) of the server from /proc/PID/status:
# during the import, when it ends, and 20 s later. A measurement, not a test: it asserts nothing. It ADDS the
# articles to DATABASE (use a copy to keep a benchmark store at its size); each seed gives different articles.
set -euo pipefail
db=$(realpath "${1:?usage: tools/measure-import-memory.sh DATABASE [ARTICLES] [SEED] [PORT]}")
count=${2:-20000}
seed=${3:-101}
port=${4:-5188}
root=$(cd "$(dirname "$0")/.." && pwd)
project="$root/src/Dashboard.Web"
corpus=$(mktemp --suffix=.jsonl)

dotnet build -c Release "$project" -v quiet -nologo >/dev/null
cd "$project"
dotnet bin/Release/net10.0/Dashboard.Web.dll generate --count "$count" --seed "$seed" >"$corpus"
top=$(sqlite3 -readonly "$db" "SELECT e.Key FROM EntityMonths m JOIN Entities e ON e.Id = m.EntityId WHERE e.Kind = 0 GROUP BY m.EntityId ORDER BY SUM(m.Articles) DESC, m.EntityId LIMIT 1")
ConnectionStrings__Dashboard="Data Source=$db" Dashboard__ImportSample=false Dashboard__InboxFolder= \
    ASPNETCORE_ENVIRONMENT=Production dotnet bin/Release/net10.0/Dashboard.Web.dll --urls "http://127.0.0.1:$port" >/tmp/measure-import-memory.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$corpus"' EXIT
for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/feeds" && break
    sleep 1
done
status() { grep -E '^(VmRSS|VmHWM)' "/proc/$server/status" | tr -s ' \t' ' ' | tr '\n' ' '; }
queued() { sqlite3 -readonly "$db" "SELECT COUNT(*) FROM Uploads WHERE Status = 0"; }
pages=("/" "/?entity=country:$top" "/?q=minister")

curl -fs -o /dev/null "http://127.0.0.1:$port/?entity=country:$top"
echo "server pid $server on $db ($(sqlite3 -readonly "$db" "SELECT COUNT(*) FROM Articles") articles)"
echo "index loaded: $(status)"
curl -fs -o /dev/null -F "files=@$corpus" "http://127.0.0.1:$port/api/uploads"
start=$(date +%s)
while true; do
    for page in "${pages[@]}"; do
        curl -fs -o /dev/null "http://127.0.0.1:$port$page"
    done
    left=$(queued)
    echo "  $(($(date +%s) - start)) s, $left upload(s) queued: $(status)"
    [ "$left" = 0 ] && break
    sleep 2
done
echo "imported in $(($(date +%s) - start)) s: $(status)"
sleep 20
echo "20 s later: $(status)"
