"""The guide in a real browser: the list and the pages in Swedish and English, light and dark, with
zero axe violations (the drawings included), and the links that lead to the guide from where the
question arises: the player's setup (E0), an advice card (S1) and a leak noted during sport (S5).
Every landing gets the harness's checks (language, axe, no console or CSP problem)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import make_person
from tests.e2e.test_player import log_in_as
from tests.guide.conftest import page_text

GUIDE = reverse("guide:index")
HOW_IT_WORKS = reverse("guide:page", kwargs={"slug": "how-it-works"})
FIGURE_PAGE = reverse("guide:page", kwargs={"slug": "drawings"})
TRAIN = reverse("training:player")
HOME = reverse("today:home")
LEAKS = reverse("outcomes:leaks")

# A host's page with both drawings and both kinds of passage, so that the scan sees every figure.
DRAWINGS = page_text(title="Drawings", order="5", body="""Text for everyone.

/// figure | pelvic-floor-side
The pelvic floor from the side, at rest and when you squeeze.
///

## For one body

/// body | vagina
Only for a body with a vagina.
///

/// body | penis
Only for a body with a penis.
///
""")


@pytest.fixture
def drawings(settings, tmp_path):
    for language in ("sv", "en"):
        (tmp_path / language).mkdir()
        (tmp_path / language / "drawings.md").write_text(DRAWINGS, encoding="utf-8")
    settings.GUIDE_DIR = str(tmp_path)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_visitor_reads_the_guide_in_either_language_and_colour_scheme(transactional_db, open_tab, drawings,
                                                                         language, color_scheme):
    tab = open_tab(color_scheme=color_scheme)
    tab.visit(GUIDE)
    if language != "sv":
        tab.switch_language(language)
    page = tab.page
    assert page.locator("[data-testid=guide-list] li").count() >= 14
    tab.follow(page.locator(f"[data-testid=guide-list] a[href='{HOW_IT_WORKS}']"))
    assert page.locator(".body-passage--vagina").count() >= 1 and page.locator(".body-passage--penis").count() >= 1
    tab.visit(FIGURE_PAGE)
    assert page.locator("figure svg[role=img]").count() == 2  # a visitor sees both drawings
    # The switch is plain links: the penis view leaves the vagina passage and drawing out.
    tab.follow(page.locator("[data-testid=body-switch] a[href='?body=penis']"))
    assert page.locator("figure svg[role=img]").count() == 1
    assert page.locator(".body-passage--vagina").count() == 0


def test_the_menu_reaches_the_guide_on_a_small_phone(transactional_db, tab):
    profile = make_person("small-phone")
    log_in_as(tab, profile.user.get_username())
    tab.page.set_viewport_size({"width": 390, "height": 844})
    link = tab.page.locator(f".site-nav a[href='{GUIDE}']")
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    tab.follow(link)
    assert tab.path == GUIDE


def test_the_players_setup_links_to_the_page_on_finding_the_muscles(transactional_db, tab):
    profile = make_person("learner", body="penis")
    log_in_as(tab, profile.user.get_username())
    tab.visit(TRAIN)
    tab.follow(tab.page.locator("#player-setup .guide-pointer a"))
    assert tab.path == reverse("guide:page", kwargs={"slug": "finding-the-muscles"})
    # T3, C2, C3: a person who chose their body reads only its passages.
    assert tab.page.locator(".body-passage--penis").count() >= 1
    assert tab.page.locator(".body-passage--vagina").count() == 0


def test_the_advice_about_pain_links_to_the_page_on_pain_and_relaxation(transactional_db, tab):
    profile = make_person("in-pain", pain=True)
    log_in_as(tab, profile.user.get_username(), "en")
    tab.follow(tab.page.locator("section.card--advice .guide-pointer a").first)
    assert tab.path == reverse("guide:page", kwargs={"slug": "pain-and-relaxation"})  # S1, W5, E8


def test_a_leak_noted_during_sport_links_to_the_page_on_sport(transactional_db, tab):
    profile = make_person("runner")
    log_in_as(tab, profile.user.get_username())
    tab.visit(LEAKS)
    tab.submit("button[name=situation][value=jump_or_run]")
    tab.follow(tab.page.locator(".guide-pointer a[href='%s']" % reverse("guide:page", kwargs={"slug": "sport"})))
    assert tab.path == reverse("guide:page", kwargs={"slug": "sport"})  # S5


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_page_of_the_guide_in_every_body_view_has_no_axe_violation(transactional_db, tab, language):
    from knipa.guide import pages

    if language != "sv":
        tab.visit(GUIDE)
        tab.switch_language(language)
    slugs = [page.slug for page in pages.guide(language).pages]
    assert len(slugs) >= 14
    for slug in slugs:
        for body in ("vagina", "penis", "both"):
            # Each visit is checked by the harness: the language, axe, no console or CSP problem.
            tab.visit(reverse("guide:page", kwargs={"slug": slug}) + f"?body={body}")
