#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine with the .NET 10 SDK and Node 20:
# unit, component and browser tests. Extra arguments go to `dotnet test` (e.g. --filter).
set -euo pipefail
cd "$(dirname "$0")"

# The browser tests drive Debian's Chromium; Playwright's own browser downloads are not used.
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y chromium
fi

# The build restores the npm packages (ApexCharts) itself.
dotnet test Dashboard.sln "$@"
