#!/usr/bin/env bash
# Takes the README's screenshot (docs/dashboard.png): the dashboard over the Reuters-21578 newswire stories of 1987
# from ../shared/data (research use; the picture credits them), imported into a throwaway store.
#
#   tools/readme-screenshot/run.sh [PORT]
#
# Needs Debian's chromium (apt-get install -y chromium) and npm. Not a test: it asserts nothing.
set -euo pipefail
port=${1:-5191}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
project="$root/src/Dashboard.Web"
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build -c Release "$project" -v quiet -nologo >/dev/null
(cd "$here" && npm install --silent --no-audit --no-fund >/dev/null)
python3 "$here/reuters-to-jsonl.py" "$root/../shared/data/reuters21578-dev" > "$work/reuters.jsonl"
export ConnectionStrings__Dashboard="Data Source=$work/dashboard.db" Dashboard__ImportSample=false Dashboard__InboxFolder= ASPNETCORE_ENVIRONMENT=Production
cd "$project"
dotnet bin/Release/net10.0/Dashboard.Web.dll import "$work/reuters.jsonl" | tail -1
dotnet bin/Release/net10.0/Dashboard.Web.dll --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/feeds" && break
    sleep 1
done
node "$here/capture.mjs" "http://127.0.0.1:$port" "$root/docs/dashboard.png" "/?compare=country:US&compare=country:JP&compare=country:BR&trend=share"
echo "docs/dashboard.png written"
