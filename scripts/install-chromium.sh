#!/bin/sh
# Debian's chromium, for the dashboard's browser tests: Playwright drives it, and never
# downloads a browser of its own. Does nothing when chromium is already installed.
set -e
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
chromium --version
