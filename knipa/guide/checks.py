"""`knipa manage check` reports every guide page that is left out, and why (docs/guide.md).

The same problems reach the log when a reader first asks for the guide; the check lets a host (or a
clinician reviewing a change) see them all at once, before anyone reads the pages.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.utils import translation


@checks.register()
def guide_pages(app_configs=None, **kwargs):
    from knipa.guide import pages

    found = []
    host = str(getattr(settings, "GUIDE_DIR", "") or "")
    if host and not Path(host).is_dir():
        found.append(checks.Warning(f"KNIPA_GUIDE_DIR is {host!r}, which is not a folder",
                                    hint="Only Knipa's own guide pages are shown.", id="knipa.guide.W001"))
    reported = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            guide = pages.guide(code)
        for path, problem in guide.skipped:
            if path not in reported:
                reported.add(path)
                found.append(checks.Warning(f"guide page {path} is not shown: {problem}", id="knipa.guide.W002"))
    return found
