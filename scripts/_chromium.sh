# Sourced by scripts/test: make a Chromium available for the Playwright browser tests.
# Playwright's own browser download cannot be used (it fetches from outside the package registries),
# so the tests drive the system Chromium. KNIPA_CHROMIUM names it; otherwise we look in the usual
# places and, as root on Debian or Ubuntu, install it with apt-get. When none can be had, the
# browser tests are skipped and both this script and pytest say so loudly.
ensure_chromium() {
  local candidate
  if [ -n "${KNIPA_CHROMIUM:-}" ] && [ -x "$KNIPA_CHROMIUM" ]; then
    return 0
  fi
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
    if [ -x "$candidate" ]; then
      export KNIPA_CHROMIUM="$candidate"
      return 0
    fi
  done
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium with apt-get for the browser tests ..."
    if DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
      export KNIPA_CHROMIUM=/usr/bin/chromium
      return 0
    fi
    echo "apt-get could not install chromium." >&2
  fi
  cat >&2 <<'WARN'
######################################################################################
#  NO CHROMIUM FOUND: the browser tests (tests/e2e) will be SKIPPED.                  #
#  Install Chromium (Debian/Ubuntu: apt-get install chromium) or set KNIPA_CHROMIUM   #
#  to a Chromium or Chrome executable, and run this command again.                    #
######################################################################################
WARN
}
