#!/usr/bin/env bash
# System packages the test suite needs, installed only when missing (CI runs as root).
#   - a Java runtime for the PySpark engine tests (Debian default-jre-headless)
#   - chromium for the headless report-rendering test
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then
  echo "system deps: all present"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "system deps missing (${need[*]}) and not root: the tests that need them will skip" >&2
  exit 0
fi
echo "system deps: installing ${need[*]}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
