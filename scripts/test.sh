#!/usr/bin/env bash
# Install the project with its test tools in .venv, lint, and run the whole test suite.
# Needs: python3 (>= 3.11) with venv, Node.js with npm, and Redis on 127.0.0.1:6379 for the
# Redis call-store tests (start one with: redis-server --port 6379 --save "" --daemonize yes;
# REDIS_URL overrides the address).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
# jambonz's own verb specifications check our webhook answers (tests/js).
(cd tests/js && npm ci --silent --no-audit --no-fund)
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/mypy --strict --ignore-missing-imports src
.venv/bin/python -m pytest -q "$@"
