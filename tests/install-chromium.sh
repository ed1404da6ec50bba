#!/usr/bin/env bash
# Debian's chromium for the browser tests (tests/test_webchat_browser.py), installed the way .ci/run
# does it: apt-get, as root or with passwordless sudo. Anything else only prints what to do; the
# browser tests are then skipped and `make test` says so on its last line. Never fails.
CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] && exit 0
how="then run make test again"
if ! command -v apt-get >/dev/null; then
  echo "browser-deps: no apt-get on this machine: install Chromium at $CHROMIUM yourself, $how" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "browser-deps: not root and no passwordless sudo: run 'sudo apt-get install -y chromium', $how" >&2
  exit 0
fi
echo "browser-deps: installing Debian's chromium for the browser tests (apt-get, one time)"
if ! { "${sudo[@]}" apt-get update -qq &&
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium >/dev/null; }; then
  echo "browser-deps: apt-get could not install chromium (see above): the browser tests will be skipped" >&2
fi
exit 0
