#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 installs on 3.8-3.10 only).
# Looks, in order: $CITYBOT_PYTHON, python3.10 on PATH, pyenv's versions, common prefixes.
# Exits 1 with a clear message when none is found.
set -u

works() { [ -n "$1" ] && "$1" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; }

candidates=()
[ -n "${CITYBOT_PYTHON:-}" ] && candidates+=("$CITYBOT_PYTHON")
candidates+=("$(command -v python3.10 2>/dev/null || true)")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root 2>/dev/null)
  for d in "$root"/versions/3.10.*; do candidates+=("$d/bin/python3.10"); done
fi
for d in "$HOME"/.pyenv/versions/3.10.*; do candidates+=("$d/bin/python3.10"); done
candidates+=(/usr/bin/python3.10 /usr/local/bin/python3.10 /opt/python3.10/bin/python3.10)

for c in "${candidates[@]}"; do
  if works "$c"; then echo "$c"; exit 0; fi
done

cat >&2 <<'MSG'
error: no Python 3.10 interpreter found.
Rasa 3.6.21 (the last open-source release) installs on Python 3.8-3.10 only.
Install Python 3.10 (for example `pyenv install 3.10.13`, or your system's python3.10 package),
or point CITYBOT_PYTHON at one:  CITYBOT_PYTHON=/path/to/python3.10 make run
MSG
exit 1
