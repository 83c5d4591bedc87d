"""The guide's illustrations (knipa/guide/figures.py): inline SVG that takes the page's colours, with a
text alternative, ids unique on the page, and motion only for readers who have not asked for less.
The pelvic floor from the side shows what it carries and the openings it closes (spec A1) and how
a squeeze lifts it (T3), for each body.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from knipa.guide.figures import FIGURES
from knipa.guide.markup import Care, Setting, View, render_markdown
from tests.guide.conftest import html_outline, page_text

STYLESHEET = Path(__file__).resolve().parents[2] / "knipa" / "static" / "knipa" / "css" / "pages.css"  # the guide figures' styles (app.css is every page's)
VARIANTS = [(name, variant) for name, variants in FIGURES.items() for variant in variants]


@pytest.mark.parametrize(("name", "variant"), VARIANTS, ids=lambda value: getattr(value, "body", value))
@pytest.mark.parametrize("language", ["sv", "en"])
def test_each_drawing_has_a_text_alternative_and_no_colour_of_its_own(name, variant, language):
    with translation.override(language):
        svg = render_to_string(variant.template, {"id": "figure-1"})
    outline = html_outline(svg)
    root_tag, root = outline[0]
    assert root_tag == "svg" and root["role"] == "img"
    ids = {attributes.get("id") for _tag, attributes in outline}
    assert root["aria-labelledby"] in ids and root["aria-describedby"] in ids
    title = re.search(r"<title[^>]*>(.+?)</title>", svg).group(1)
    desc = re.search(r"<desc[^>]*>(.+?)</desc>", svg, re.DOTALL).group(1)
    assert len(title) > 20 and len(desc) > 100
    for tag, attributes in outline:
        assert "style" not in attributes, f"<{tag} style> in {variant.template}"
        assert not {"fill", "stroke", "color"} & set(attributes), f"<{tag}> sets its own colour in {variant.template}"
    if language == "sv":
        assert "Bäckenbotten" in svg  # the labels are translated with the page


def test_a_reader_who_sees_both_gets_both_drawings_with_ids_unique_on_the_page():
    body = "/// figure | pelvic-floor-side\nOne caption.\n///\n\nText.\n\n/// figure | pelvic-floor-side\nAgain.\n///"
    setting = Setting(language="en", view=View.BOTH, known_slugs=frozenset(), care=Care("x", "x", "https://x.example"))
    html = render_markdown(page_text(body=body), setting).html
    ids = [attributes["id"] for _tag, attributes in html_outline(html) if "id" in attributes]
    assert len(ids) == 8 and len(set(ids)) == 8
    assert html.count('class="guide-figure__label"') == 4  # each drawing says whose body it shows


def _media_blocks(css: str, query: str) -> list[str]:
    blocks = []
    for match in re.finditer(re.escape(query) + r"\s*\{", css):
        depth, index = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            index += 1
        blocks.append(css[match.end():index - 1])
    return blocks


def test_the_squeeze_moves_only_for_readers_who_have_not_asked_for_reduced_motion():
    css = STYLESHEET.read_text(encoding="utf-8")
    allowed = "".join(_media_blocks(css, "@media (prefers-reduced-motion: no-preference)"))
    animations = re.findall(r"animation:\s*pf-[\w-]+", css)
    assert animations, "the drawings are no longer animated: update this test"
    assert all(animation in allowed for animation in animations)
    assert len(re.findall(r"animation:\s*pf-[\w-]+", allowed)) == len(animations)
