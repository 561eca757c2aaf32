#!/usr/bin/env bash
# Install the project with its test tools in .venv, lint, and run the whole test suite.
# Needs: python3 (>= 3.11) with venv, Node.js with npm, and Redis for the Redis call-store
# tests: the one on 127.0.0.1:6379, else REDIS_URL, else a private redis-server started
# here for the run (apt install redis-server); without any, those tests fail and say so.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
# The steering web app's browser tests drive Debian's Chromium (never a downloaded build).
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "scripts/test.sh: Chromium is missing (apt install chromium)" >&2
  fi
fi
# jambonz's own verb specifications check our webhook answers (tests/js).
(cd tests/js && npm ci --silent --no-audit --no-fund)
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/mypy --strict --ignore-missing-imports src
if [ -z "${REDIS_URL:-}" ] && ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null \
    && command -v redis-server >/dev/null; then
  redis_dir=$(mktemp -d)
  redis-server --port 6391 --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --dir "$redis_dir" --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log"
  trap 'kill "$(cat "$redis_dir/redis.pid")" 2>/dev/null; rm -rf "$redis_dir"' EXIT
  for _ in $(seq 50); do [ -f "$redis_dir/redis.pid" ] && break; sleep 0.1; done
  export REDIS_URL=redis://127.0.0.1:6391/11
fi
# Unbuffered, so that a CI log shows the test that runs; each test is bounded by
# pytest-timeout (pyproject.toml), the whole run by 30 minutes.
export PYTHONUNBUFFERED=1
timeout --kill-after=30 1800 .venv/bin/python -m pytest -q --durations=10 "$@"
