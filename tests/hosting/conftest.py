"""The hosting tests' nginx: Debian's, found as scripts/_nginx.sh finds (or installs) it.

$KNIPA_NGINX, else `nginx` on PATH, else /usr/sbin/nginx. Without one, the tests that need it are
skipped with a reason starting "NO NGINX", and a banner says so in the terminal summary: the
proof that HTTPS, HSTS, Secure cookies and the client's address survive the proxy must never go
missing quietly.
"""

from __future__ import annotations

import os
import shutil

import pytest

NGINX_CANDIDATES = ("/usr/sbin/nginx",)


def find_nginx() -> tuple[str | None, str]:
    """The nginx to run, and if there is none, why (the reason starts "NO NGINX")."""
    configured = os.environ.get("KNIPA_NGINX", "").strip()
    if configured:
        resolved = configured if os.path.isabs(configured) else shutil.which(configured)
        if resolved and os.path.isfile(resolved) and os.access(resolved, os.X_OK):
            return resolved, ""
        return None, f"NO NGINX: KNIPA_NGINX={configured!r} is not an executable file"
    on_path = shutil.which("nginx")
    if on_path:
        return on_path, ""
    for candidate in NGINX_CANDIDATES:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate, ""
    return None, (
        "NO NGINX: no nginx on PATH or in /usr/sbin and KNIPA_NGINX is not set (scripts/test installs "
        "Debian's nginx-light when run as root; or apt-get install nginx-light, or set KNIPA_NGINX)"
    )


NGINX, NGINX_SKIP_REASON = find_nginx()


@pytest.fixture(scope="session")
def nginx_executable() -> str:
    if NGINX is None:
        pytest.skip(NGINX_SKIP_REASON)
    return NGINX


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # Never skip silently: this is the only test of Knipa behind the proxy the docs recommend.
    if not NGINX_SKIP_REASON:
        return
    skipped = sum(
        1 for report in terminalreporter.stats.get("skipped", [])
        if NGINX_SKIP_REASON in str(getattr(report, "longrepr", ""))
    )
    if not skipped:
        return
    line = "!" * 78
    for text in (
        "",
        line,
        f"!!  {skipped} HOSTING TESTS (tests/hosting) WERE SKIPPED: NOTHING RAN BEHIND NGINX",
        f"!!  {NGINX_SKIP_REASON}",
        "!!  HTTPS through the proxy, HSTS, Secure cookies and the client's address went unchecked.",
        line,
    ):
        terminalreporter.write_line(text, red=True, bold=True)
