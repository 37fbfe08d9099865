#!/bin/sh
# Records the kernel API fixtures (test/fixtures/kernel-api/*.json) on this machine's real
# kernel. Needs root (ip netns). The scenarios live in scripts/kernel-api/scenarios.mjs.
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "record-kernel-api.sh: needs root" >&2; exit 1; }
exec node scripts/kernel-api/record.mjs "$@"
