# Shared by test.sh: Debian's Chromium for the browser test (a real EventSource). Playwright's own
# browser download does not work here and is not needed: the test launches /usr/bin/chromium.

ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  echo "Chromium not found; installing Debian's 'chromium' package (for the browser EventSource test)..." >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2 \
    || { $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2; } \
    || { echo "Installing Chromium failed: the browser test cannot run." >&2; return 1; }
}
