"""What the service worker (templates/reminders/sw.js, served at /sw.js) is told by the server.

The worker receives reminders by Web Push (spec H1) and makes Knipa work offline (issue 15):
it keeps the files of one release and the pages a person has seen. Two things come from here:

- `release()`: a short digest of the static files' manifest (every file's hashed name, as
  `knipa prepare` wrote it). Any changed stylesheet, script or picture changes it, so a new release
  changes the bytes of /sw.js, and the browser installs the new worker, which keeps its files in
  caches named after its own release and deletes the old ones once no page of the old release is
  open (see docs/architecture.md, "Offline").
- `precache_urls()`: the hashed addresses of the files the worker keeps when it is installed:
  every stylesheet, script and drawing of Knipa's own (not the icons, which only the phone's home
  screen asks for, nor the API documentation's files). A page and the files it names then always
  come from one release.
"""

from __future__ import annotations

import hashlib

from django.contrib.staticfiles.storage import staticfiles_storage

# Knipa's own static files the offline pages may need: the player's modules, the stylesheets, the
# logo and the drawings of the positions.
PRECACHE_PREFIX = "knipa/"
PRECACHE_SUFFIXES = (".css", ".js", ".svg")


def _hashed_files() -> dict[str, str]:
    """The manifest of collected static files: original name -> hashed name."""
    return dict(getattr(staticfiles_storage, "hashed_files", {}) or {})


def release() -> str:
    """The release the static files belong to, as 16 hex digits."""
    digest = hashlib.sha256()
    for name, hashed in sorted(_hashed_files().items()):
        digest.update(f"{name}\t{hashed}\n".encode())
    return digest.hexdigest()[:16]


def precache_urls() -> list[str]:
    names = sorted(name for name in _hashed_files()
                   if name.startswith(PRECACHE_PREFIX) and name.endswith(PRECACHE_SUFFIXES))
    return [staticfiles_storage.url(name) for name in names]
