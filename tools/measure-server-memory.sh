#!/usr/bin/env bash
# Memory of the running dashboard over a large store (the issue's "500 MB at a million articles" floor).
#
#   tools/measure-server-memory.sh DATABASE [PORT]
#
# Starts the web app (Release) on DATABASE with nothing else running in it (no sample import, no inbox), loads the
# dashboard unfiltered, filtered on one and on two entities, with a search, and an entity page, each several
# times (the server renders the page, so every query the page issues runs), waits until the co-mention index has
# loaded, then prints VmRSS and VmHWM (peak) of the server process from /proc/PID/status. A measurement, not a
# test: it asserts nothing and the figures go to the README. The server inherits the environment, so
# DOTNET_gcServer=0 tools/measure-server-memory.sh ... measures it with the workstation garbage collector
# (ASP.NET Core defaults to the server collector, which keeps more memory per core).
set -euo pipefail
db=$(realpath "${1:?usage: tools/measure-server-memory.sh DATABASE [PORT]}")
port=${2:-5187}
root=$(cd "$(dirname "$0")/.." && pwd)
project="$root/src/Dashboard.Web"

dotnet build -c Release "$project" -v quiet -nologo >/dev/null
# The two most mentioned countries and the third one's name, read off the monthly counts.
top=$(sqlite3 -readonly "$db" "SELECT e.Key FROM EntityMonths m JOIN Entities e ON e.Id = m.EntityId WHERE e.Kind = 0 GROUP BY m.EntityId ORDER BY SUM(m.Articles) DESC, m.EntityId LIMIT 3")
first=$(sed -n 1p <<<"$top")
second=$(sed -n 2p <<<"$top")
third=$(sqlite3 -readonly "$db" "SELECT Name FROM Entities WHERE Kind = 0 AND Key = '$(sed -n 3p <<<"$top")'")

cd "$project"
ConnectionStrings__Dashboard="Data Source=$db" Dashboard__ImportSample=false Dashboard__InboxFolder= \
    ASPNETCORE_ENVIRONMENT=Production dotnet bin/Release/net10.0/Dashboard.Web.dll --urls "http://127.0.0.1:$port" >/tmp/measure-server-memory.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/feeds" && break
    sleep 1
done

status() { grep -E '^(VmRSS|VmHWM)' "/proc/$server/status" | tr -s ' \t' ' ' | tr '\n' ' '; }
get() {
    local start end
    start=$(date +%s%N)
    curl -fs -o /dev/null "http://127.0.0.1:$port$1"
    end=$(date +%s%N)
    printf '  %-70s %6d ms  %s\n' "$1" $(((end - start) / 1000000)) "$(status)"
}
q=$(printf '"%s"' "$third" | jq -sRr @uri)
pages=(
    "/"
    "/?entity=country:$first"
    "/?entity=country:$first&entity=country:$second"
    "/?q=$q"
    "/?from=$(date -d "$(sqlite3 -readonly "$db" "SELECT MAX(Day) FROM ArticleDays") - 89 days" +%F)&entity=country:$first"
    "/entities/country/$first"
)
echo "server pid $server on $db"
echo "after start-up: $(status)"
for round in 1 2 3; do
    echo "round $round"
    for page in "${pages[@]}"; do
        get "$page"
    done
    # The first filtered page starts loading the co-mention index in the background; give it time before the next round.
    [ "$round" = 1 ] && sleep 30
done
echo "final: $(status)"
