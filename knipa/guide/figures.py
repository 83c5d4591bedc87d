"""The guide's illustrations, drawn for Knipa: schematic SVG, inline in the page.

Inline (not <img>), so that they take the page's colours: every stroke and fill comes from a CSS
class in the stylesheet (currentColor and the palette's variables), which follows dark mode, and
the squeeze can be animated by the stylesheet alone where the reader has not asked for reduced
motion. Each is a template under templates/guide/figures/ with its own text alternative (role="img",
<title> and <desc>, translated); the caption comes from the page's `/// figure | name` block. The
templates are SVG but named .html, so that `makemessages` finds their words like any template's.

A figure drawn for each body has a template per body; a reader sees their own, or both when they
see both (no profile, neutral words, or the switch).
"""

from __future__ import annotations

from dataclasses import dataclass

from knipa.program.safety import Body


@dataclass(frozen=True)
class Variant:
    template: str
    body: str  # "" when the figure is the same for everyone


# spec A1, T3: the pelvic floor from the side, the openings it closes and how a squeeze lifts them.
FIGURES: dict[str, tuple[Variant, ...]] = {
    "pelvic-floor-side": (
        Variant("guide/figures/pelvic-floor-side-vagina.html", Body.VAGINA.value),
        Variant("guide/figures/pelvic-floor-side-penis.html", Body.PENIS.value),
    ),
}


def variants_for(name: str, view) -> list[Variant]:
    """The drawings of figure `name` a reader with this view (markup.View) sees."""
    return [variant for variant in FIGURES[name] if not variant.body or view.shows(variant.body)]
