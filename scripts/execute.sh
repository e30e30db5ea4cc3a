#!/usr/bin/env bash
# Re-execute lessons in place from a fresh kernel, deterministically; unchanged ones stay as
# they are. `bash scripts/execute.sh` (all), `bash scripts/execute.sh 04 ko/04`, `--check`.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${NUMDIFF_VENV:-.venv}"
if [ -z "${VIRTUAL_ENV:-}" ] && [ -d "$venv" ]; then
  # shellcheck disable=SC1091
  if [ -f "$venv/bin/activate" ]; then . "$venv/bin/activate"; else . "$venv/Scripts/activate"; fi
fi
exec python scripts/execute.py "$@"
