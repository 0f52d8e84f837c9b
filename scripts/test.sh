#!/usr/bin/env bash
# Sets everything up on a fresh machine and runs the whole test suite.
# Debian's chromium is needed by the browser tests (they skip without it); it is installed with
# apt-get when we are root and it is missing. Python packages come from pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "== chromium is missing and we are not root: browser tests will be skipped" >&2
  fi
fi

echo "== installing the project and its test dependencies"
python3 -m pip install -q --disable-pip-version-check -e '.[test]'

echo "== ruff"
python3 -m ruff check generator tests bench
echo "== tests"
python3 -m pytest -q -ra "$@"
