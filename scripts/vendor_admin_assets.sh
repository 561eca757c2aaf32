#!/usr/bin/env bash
# Rebuild the admin app's vendored front-end files from the npm registry (committed; the
# app has no build step and loads nothing from a CDN).
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/acotel_voice/admin/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent htmx.org@2.0.8 chart.js@4.5.1 >/dev/null)
tar xzf "$work/htmx.org-2.0.8.tgz" -C "$work" package/dist/htmx.min.js
cp "$work/package/dist/htmx.min.js" "$out/htmx-2.0.8.min.js"
tar xzf "$work/chart.js-4.5.1.tgz" -C "$work" package/dist/chart.umd.min.js
cp "$work/package/dist/chart.umd.min.js" "$out/chart-4.5.1.umd.min.js"
sha256sum "$out"/*.js
