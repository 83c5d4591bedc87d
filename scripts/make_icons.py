"""Make Knipa's app icons (PNG) from the logo, knipa/static/knipa/img/knipa.svg.

Run once when the logo changes; the PNGs are committed as static files, so Knipa itself needs
nothing to draw them:

    .venv/bin/python scripts/make_icons.py

The system Chromium (the one the browser tests drive, through Playwright) renders the SVG, so no
image library is needed. What it makes, in knipa/static/knipa/img/:

- icon-192.png, icon-512.png: the logo as it is, on a transparent ground (the manifest's "any"
  icons; Chromium's installability needs a PNG of at least 144 px);
- icon-maskable-512.png: the same drawing on a solid square of the logo's green, the strokes kept
  inside the central circle of 80 % that every launcher's mask leaves whole (the manifest's
  "maskable" icon);
- apple-touch-icon.png (180 px): the maskable drawing, since iOS fills a transparent ground with
  black and rounds the corners itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.chromium import CHROMIUM_ARGS, find_chromium  # noqa: E402

IMG = ROOT / "knipa" / "static" / "knipa" / "img"
LOGO = IMG / "knipa.svg"
# The logo's circle (fill of knipa.svg), used as the maskable icon's ground.
GROUND = "#2f6f68"
# The part of a maskable icon every mask keeps: a centred circle of 80 % of the side
# (https://www.w3.org/TR/appmanifest/#icon-masks). The logo's own circle is drawn that size, so its
# strokes, inside it, are safe, and its edge melts into the ground of the same colour.
SAFE_ZONE = 0.8

ICONS = [
    # (file, side in px, maskable)
    ("icon-192.png", 192, False),
    ("icon-512.png", 512, False),
    ("icon-maskable-512.png", 512, True),
    ("apple-touch-icon.png", 180, True),
]


def page_for(svg: str, side: int, maskable: bool) -> str:
    if maskable:
        # The logo's circle has a radius of 30 in a 64 box: scaled so that it spans the safe zone.
        drawn = round(side * SAFE_ZONE * 64 / 60)
        ground = f"background:{GROUND};"
    else:
        drawn = side
        ground = "background:transparent;"
    sized = svg.replace("<svg ", f'<svg width="{drawn}" height="{drawn}" ', 1)
    return (
        "<!doctype html><html><head><style>"
        f"html,body{{margin:0;width:{side}px;height:{side}px;overflow:hidden;{ground}}}"
        "body{display:flex;align-items:center;justify-content:center}svg{display:block;flex:none}"
        f"</style></head><body>{sized}</body></html>"
    )


def main() -> int:
    from playwright.sync_api import sync_playwright

    chromium, reason = find_chromium()
    if chromium is None:
        sys.exit(reason)
    svg = LOGO.read_text(encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        for name, side, maskable in ICONS:
            page = browser.new_page(viewport={"width": side, "height": side}, device_scale_factor=1)
            page.set_content(page_for(svg, side, maskable))
            target = IMG / name
            page.screenshot(path=str(target), omit_background=not maskable,
                            clip={"x": 0, "y": 0, "width": side, "height": side})
            page.close()
            print(f"{target.relative_to(ROOT)}: {side}x{side}, {target.stat().st_size} bytes")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
