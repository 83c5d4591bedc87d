"""Finding and launching the system Chromium, shared by the browser tests and bench/.

Playwright's own browser download cannot be used here, so both drive the Chromium the machine has.
"""

from __future__ import annotations

import os
import shutil

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

# The machine has no network: without these Chromium keeps trying (and failing) to reach Google.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> tuple[str | None, str]:
    """The Chromium to drive, and if there is none, why (the reason starts "NO CHROMIUM")."""
    configured = os.environ.get("KNIPA_CHROMIUM", "").strip()
    if configured:
        resolved = configured if os.path.isabs(configured) else shutil.which(configured)
        if resolved and os.path.isfile(resolved) and os.access(resolved, os.X_OK):
            return resolved, ""
        return None, f"NO CHROMIUM: KNIPA_CHROMIUM={configured!r} is not an executable file"
    for candidate in CHROMIUM_CANDIDATES:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate, ""
    return None, (
        "NO CHROMIUM: none of " + ", ".join(CHROMIUM_CANDIDATES) + " exists and KNIPA_CHROMIUM is not set "
        "(install Debian's chromium package, or point KNIPA_CHROMIUM at a Chromium or Chrome binary)"
    )
