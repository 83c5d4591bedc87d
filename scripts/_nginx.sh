# Sourced by scripts/test: make an nginx available for the hosting tests (tests/hosting), which put
# a real nginx in front of `knipa serve` exactly as docs/hosting.md recommends. KNIPA_NGINX names
# it; otherwise we look on PATH and in /usr/sbin and, as root on Debian or Ubuntu, install Debian's
# package with apt-get. When none can be had, those tests are skipped and both this script and
# pytest say so loudly. The tests run nginx as an ordinary process on free ports: no root needed.
ensure_nginx() {
  local candidate
  if [ -n "${KNIPA_NGINX:-}" ] && [ -x "$KNIPA_NGINX" ]; then
    return 0
  fi
  for candidate in "$(command -v nginx 2>/dev/null || true)" /usr/sbin/nginx; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      export KNIPA_NGINX="$candidate"
      return 0
    fi
  done
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing nginx with apt-get for the hosting tests ..."
    # nginx-light is enough (it has the ssl and proxy modules); newer releases only have `nginx`.
    # On a host with systemd, Debian also starts the system's nginx service: the tests ignore it.
    if DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
      { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null 2>&1 ||
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; }; then
      export KNIPA_NGINX=/usr/sbin/nginx
      return 0
    fi
    echo "apt-get could not install nginx." >&2
  fi
  cat >&2 <<'WARN'
######################################################################################
#  NO NGINX FOUND: the hosting tests (tests/hosting/test_behind_nginx.py) will be     #
#  SKIPPED. Install nginx (Debian/Ubuntu: apt-get install nginx-light or nginx) or    #
#  set KNIPA_NGINX to an nginx executable, and run this command again.                #
######################################################################################
WARN
}
