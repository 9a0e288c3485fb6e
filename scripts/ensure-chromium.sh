#!/bin/sh
# Makes sure Debian's Chromium is installed for the Playwright browser tests (e2e/).
#
# `npx playwright install` cannot download browsers on this project's machines, but Debian's
# package can. Idempotent and quiet: exits at once when the binary exists; otherwise runs
# `apt-get update` and installs chromium (plus fonts, so screenshots show text, not boxes),
# printing apt's output only if something fails. Needs root, or sudo. CHROMIUM_PATH overrides
# the binary's location (default /usr/bin/chromium, which playwright.config.ts uses too).
set -eu

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available; install Chromium and set CHROMIUM_PATH." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "ensure-chromium: installing Chromium needs root; run this as root or install Debian's 'chromium' package." >&2
    exit 1
  fi
fi

LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
echo "ensure-chromium: installing Debian's chromium package (about a minute)..." >&2
if ! {
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      chromium fonts-liberation fonts-dejavu-core
} >"$LOG" 2>&1; then
  cat "$LOG" >&2
  echo "ensure-chromium: apt-get failed (output above)." >&2
  exit 1
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: the chromium package is installed but $CHROMIUM is missing; set CHROMIUM_PATH." >&2
  exit 1
fi
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) is ready." >&2
