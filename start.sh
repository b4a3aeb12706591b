#!/usr/bin/env bash
# Starts the dashboard; on a new database it imports the sample articles itself. Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")"
exec dotnet run --project src/Dashboard.Web -- --urls "${URLS:-http://127.0.0.1:5000}" "$@"
