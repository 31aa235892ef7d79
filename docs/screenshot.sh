#!/bin/sh
# Regenerate docs/report.png: the HTML report of examples/team as headless
# Chromium shows it. Run from the repository root: sh docs/screenshot.sh
set -eu
CHROMIUM=${CHROMIUM:-chromium}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ONEONE_TODAY=2026-11-25 go run ./cmd/oneone --dir examples/team report --html "$tmp/report" >/dev/null
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$tmp/profile" --hide-scrollbars --window-size=1280,1600 \
	--screenshot="$PWD/docs/report.png" "file://$tmp/report/index.html" 2>/dev/null
echo docs/report.png
