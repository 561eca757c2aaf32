#!/usr/bin/env bash
# Install the project with its test tools in .venv, lint, and run the whole test suite.
# Needs: python3 (>= 3.11) with venv. Redis on 127.0.0.1:6379 is only needed by the addok
# benchmark, never by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/mypy --strict --ignore-missing-imports src
.venv/bin/python -m pytest -q "$@"
