"""Knipa's own guide pages (knipa/guide/pages/): all there, in both languages, valid, safe, readable.

Each page renders in Swedish and English for each view of the body passages (vagina, penis, both)
with nothing but the markup the format makes; every link on it leads somewhere; every Swedish page
reads at LIX 35 or below, measured on the rendered text (docs/guide.md). A failure names the page.
"""

from __future__ import annotations

import pytest
from django.test import Client

from knipa.guide import pages
from knipa.guide.markup import PageError, Setting, View, render_markdown
from knipa.guide.pages import OUR_PAGES
from knipa.program.spec import SPEC_IDS
from tests.guide.conftest import LANGUAGES, SLUGS, html_outline, lix, our_slugs, text_blocks

OUR_FILES = sorted(OUR_PAGES.glob("*/*.md"))
LIX_LIMIT = 35

# What the format makes: Markdown's own elements, the passages and figures, and our drawings.
ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "em", "code", "pre", "blockquote", "hr",
    "br", "div", "figure", "figcaption",
    "svg", "title", "desc", "g", "line", "path", "ellipse", "circle", "rect", "polyline", "polygon", "text", "tspan",
}
ALLOWED_ATTRIBUTES = {
    "class", "href", "title", "id", "role", "aria-labelledby", "aria-describedby", "focusable", "xmlns", "viewbox",
    "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "points", "transform",
    "text-anchor",
}


def test_the_guide_has_every_page_in_both_languages():
    for language in LANGUAGES:
        missing = sorted(set(SLUGS) - set(our_slugs(language)))
        assert not missing, f"pages missing in knipa/guide/pages/{language}/: {missing}"
    assert our_slugs("sv") == our_slugs("en"), "the Swedish and English pages are not the same set of slugs"


@pytest.mark.parametrize("path", OUR_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_each_page_passes_the_formats_checks(path):
    language = path.parent.name
    known = frozenset(our_slugs(language))
    setting = Setting(language=language, view=View.BOTH, known_slugs=known, care=pages.care())
    try:
        render_markdown(path.read_text(encoding="utf-8"), setting)
        source = pages.Source(str(path), language, path.name, False, 0, 0)
        header = pages._header(source, pages.care())
    except PageError as problem:
        pytest.fail(f"{path.relative_to(OUR_PAGES.parent)}: {problem}")
    assert header.covers, f"{path.name}: covers: names no spec id"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_guide_a_reader_gets_explains_every_fact_meant_for_them(language):
    # spec W1-W6, S1-S5, H1-H3, V1-V4, L1-L5 (smoking, a long cough, weight, constipation, local
    # oestrogen) and A1-A3 (what the pelvic floor is, how it works under load, what weakens it):
    # covered by pages that pass their checks and are offered, not only by files on disk.
    offered = pages.guide(language).pages
    covered = set().union(*(page.header.covers for page in offered))
    wanted = {spec_id for spec_id in SPEC_IDS if spec_id[0] in "WSHLAV"}
    assert not wanted - covered, f"{language}: no offered page covers {sorted(wanted - covered)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_of_ours_is_skipped(language):
    offered = {page.slug for page in pages.guide(language).pages if not page.source.from_host}
    assert offered == set(our_slugs(language))


@pytest.mark.parametrize("path", OUR_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_no_page_writes_the_care_number_itself(path):
    # V4: the care line is the host's ({care_phone}, {care_name}, {care_url}), so another country's
    # Knipa never tells its readers to call 1177.
    assert "1177" not in path.read_text(encoding="utf-8"), f"{path.name}: write {{care_phone}} instead of 1177"


def rendered_pages():
    for language in LANGUAGES:
        guide = pages.guide(language)
        for page in guide.pages:
            for view in View:
                yield language, page, view, pages.render(page, guide, view).html


def test_every_page_renders_for_every_view_with_only_the_formats_markup():
    failures = []
    count = 0
    for language, page, view, html in rendered_pages():
        count += 1
        for tag, attributes in html_outline(html):
            if tag not in ALLOWED_TAGS:
                failures.append(f"{language}/{page.slug} ({view}): <{tag}>")
            strange = set(attributes) - ALLOWED_ATTRIBUTES
            if strange:
                failures.append(f"{language}/{page.slug} ({view}): <{tag}> with {sorted(strange)}")
            if tag == "a" and not attributes.get("href"):
                failures.append(f"{language}/{page.slug} ({view}): a link without an address")
    assert not failures, "\n".join(failures)
    assert count >= len(SLUGS) * 2 * 3


@pytest.mark.parametrize(("view", "other"), [(View.VAGINA, "penis"), (View.PENIS, "vagina")])
def test_a_page_for_one_body_holds_no_passage_for_the_other(view, other):
    for language in LANGUAGES:
        guide = pages.guide(language)
        for page in guide.pages:
            html = pages.render(page, guide, view).html
            assert f"body-passage--{other}" not in html, f"{language}/{page.slug}"
            assert f"in a body with a {other}" not in html, f"{language}/{page.slug}: the other body's drawing"


@pytest.mark.django_db
def test_every_link_on_every_page_leads_somewhere(client: Client):
    # guide: and app: links are resolved when a page is built (a wrong one fails the page); here
    # every address they became is asked for, as a visitor would follow it.
    failures = []
    asked: dict[str, int] = {}
    for language, page, _view, html in rendered_pages():
        for tag, attributes in html_outline(html):
            href = attributes.get("href") or ""
            if tag != "a" or not href.startswith("/"):
                continue
            if href not in asked:
                asked[href] = client.get(href).status_code
            # A page of the app sends a visitor without a profile to the start page (302).
            if asked[href] not in (200, 302):
                failures.append(f"{language}/{page.slug}: {href} answers {asked[href]}")
    assert not failures, "\n".join(failures)
    assert any(href.startswith("/guide/") for href in asked), "no page links to another page of the guide"


def test_every_swedish_page_reads_at_lix_35_or_below():
    measured = {}
    for language, page, view, html in rendered_pages():
        if language == "sv":
            measured[(page.slug, view.value)] = lix(text_blocks(html))
    too_hard = {key: value for key, value in measured.items() if value > LIX_LIMIT}
    table = "\n".join(f"  {slug} ({view}): LIX {value:.1f}" for (slug, view), value in sorted(measured.items()))
    assert not too_hard, f"pages above LIX {LIX_LIMIT}:\n" + "\n".join(
        f"  {slug} ({view}): LIX {value:.1f}" for (slug, view), value in sorted(too_hard.items())) + "\nall:\n" + table


def test_lix_is_counted_as_the_format_says():
    # Two sentences of 4 and 2 words, one word longer than six letters: 6/2 + 100 * 1/6.
    assert lix(["Korta ord och bäckenbotten.", "Sedan vila"]) == pytest.approx(3 + 100 / 6)
    assert text_blocks("<h2>Rubrik</h2><p>Text <a href='/'>länk</a> här</p><ul><li>ett</li><li>två</li></ul>") == [
        "Rubrik", "Text länk här", "ett", "två"]
