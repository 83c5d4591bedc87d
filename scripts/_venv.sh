# Sourced by scripts/run and scripts/test: find Python 3.11+, create .venv and install Knipa into
# it when pyproject.toml has changed since the last install. Needs only Python and network access
# to the package index.
set -euo pipefail

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "Knipa needs Python 3.11 or newer; none was found (set PYTHON=/path/to/python3.11)." >&2
  return 1
}

ensure_venv() {
  local extras="$1" venv="$KNIPA_ROOT/.venv" stamp want
  if [ ! -x "$venv/bin/python" ]; then
    local python
    python=$(find_python)
    echo "Creating a virtual environment in .venv with $python ..."
    if ! "$python" -m venv "$venv"; then
      echo "Could not create a virtual environment. On Debian or Ubuntu: apt-get install python3-venv" >&2
      return 1
    fi
  fi
  stamp="$venv/.knipa-installed"
  want="$(cat "$KNIPA_ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1) $extras"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing Knipa and what it needs into .venv ..."
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$KNIPA_ROOT$extras"
    echo "$want" >"$stamp"
  fi
}
