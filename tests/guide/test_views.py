"""The guide's pages as readers get them: public, in their language, for their body (knipa/guide/views.py).

A logged-in person who chose their body sees only its passages (T3, C2, C3); a visitor, or a
person who chose neutral words, sees both, each headed; anyone may switch with ?body=. A host's
folder (KNIPA_GUIDE_DIR) replaces and adds pages; a broken host page is logged and skipped, and a
reader never meets a server error for it.
"""

from __future__ import annotations

import logging
import os
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from knipa.guide import pages
from knipa.guide.markup import View, read_header
from knipa.guide.pages import OUR_PAGES
from tests.conftest import make_person
from tests.guide.conftest import page_text

pytestmark = pytest.mark.django_db

LIST = reverse("guide:index")
HOW_IT_WORKS = reverse("guide:page", kwargs={"slug": "how-it-works"})
FINDING = reverse("guide:page", kwargs={"slug": "finding-the-muscles"})


def our_title(slug: str, language: str = "sv") -> str:
    return read_header((OUR_PAGES / language / f"{slug}.md").read_text(encoding="utf-8"))["title"][0]


def body_passages(response) -> set[str]:
    html = response.content.decode()
    return {body for body in ("vagina", "penis") if f"body-passage--{body}" in html}


def test_a_visitor_reads_the_list_and_a_page(client):
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert HOW_IT_WORKS in listing.content.decode()
    page = client.get(HOW_IT_WORKS)
    assert page.status_code == 200
    assert "<h1" in page.content.decode()


def test_the_guide_is_in_the_main_menu_for_visitors_and_people(client, owner_client):
    for who in (client, owner_client):
        html = who.get(LIST).content.decode()
        menu = html[html.index('class="site-nav"'):html.index("</nav>", html.index('class="site-nav"'))]
        assert f'href="{LIST}" aria-current="page"' in menu


def test_the_guide_speaks_the_readers_language(client):
    swedish = client.get(FINDING).content.decode()
    assert "Hitta musklerna" in swedish
    client.cookies["knipa_language"] = "en"
    english = client.get(FINDING).content.decode()
    assert 'lang="en"' in english and "Hitta musklerna" not in english


def test_a_visitor_sees_both_bodies_passages_each_headed(client):
    response = client.get(FINDING)
    assert body_passages(response) == {"vagina", "penis"}
    html = response.content.decode()
    assert "Om din kropp har en slida" in html and "Om din kropp har en penis" in html


@pytest.mark.parametrize(("body", "other"), [("vagina", "penis"), ("penis", "vagina")])
def test_a_person_who_chose_their_body_never_gets_the_other_bodys_passages(client_factory, body, other):
    # T3, C2, C3: on every page, the other body's passages are not in the answer at all.
    person = make_person(f"reader-{body}", body=body)
    reader = client_factory(person.user)
    for page in pages.guide("sv").pages:
        response = reader.get(reverse("guide:page", kwargs={"slug": page.slug}))
        assert response.status_code == 200
        assert other not in body_passages(response), f"{page.slug} shows the {other} passages"
        assert "Om din kropp har" not in response.content.decode()
    assert body_passages(reader.get(FINDING)) == {body}


def test_a_person_who_chose_neutral_words_sees_both(client_factory):
    reader = client_factory(make_person("neutral-reader", body="neutral").user)
    assert body_passages(reader.get(FINDING)) == {"vagina", "penis"}


@pytest.mark.parametrize(("asked", "shown"), [("vagina", {"vagina"}), ("penis", {"penis"}), ("both", {"vagina", "penis"})])
def test_any_reader_may_switch_the_view_with_a_link(client, asked, shown):
    response = client.get(FINDING + f"?body={asked}")
    assert body_passages(response) == shown
    html = response.content.decode()
    assert f'href="?body={asked}" aria-current="true"' in html
    # The chosen view goes on with the reader: links in the text, the next page, the list.
    assert f'href="{reverse("guide:page", kwargs={"slug": "three-kinds"})}?body={asked}"' in html
    assert f'href="{LIST}?body={asked}"' in html


def test_a_view_that_does_not_exist_is_ignored(client):
    assert body_passages(client.get(FINDING + "?body=<script>")) == {"vagina", "penis"}


def test_a_page_that_does_not_exist_is_a_plain_404(client):
    assert client.get(reverse("guide:page", kwargs={"slug": "no-such-page"})).status_code == 404


def test_the_switch_is_offered_only_where_the_body_makes_a_difference(client):
    assert 'data-testid="body-switch"' in client.get(FINDING).content.decode()
    without = [page.slug for page in pages.guide("sv").pages
               if not pages.render(page, pages.guide("sv"), View.BOTH).body_specific]
    if without:
        html = client.get(reverse("guide:page", kwargs={"slug": without[0]})).content.decode()
        assert 'data-testid="body-switch"' not in html


# --- A host's folder --------------------------------------------------------------------------------


def test_a_hosts_page_replaces_ours_and_a_new_one_is_added(client, tmp_path):
    folder = tmp_path / "region"
    (folder / "sv").mkdir(parents=True)
    (folder / "sv" / "sport.md").write_text(page_text(title="Idrott i vår region", order="120",
                                                       body="Fråga vår fysioterapeut."), encoding="utf-8")
    (folder / "sv" / "local-clinics.md").write_text(page_text(title="Våra mottagningar", order="150",
                                                              body="Ring oss på {care_phone}."), encoding="utf-8")
    with override_settings(GUIDE_DIR=str(folder), CARE_ADVICE_PHONE="010-123 45 67"):
        listing = client.get(LIST).content.decode()
        assert "Idrott i vår region" in listing and "Våra mottagningar" in listing
        sport = client.get(reverse("guide:page", kwargs={"slug": "sport"})).content.decode()
        assert "Fråga vår fysioterapeut." in sport
        added = client.get(reverse("guide:page", kwargs={"slug": "local-clinics"}))
        assert added.status_code == 200 and "Ring oss på 010-123 45 67." in added.content.decode()
    # Without the folder, ours again.
    assert "Idrott i vår region" not in client.get(LIST).content.decode()


def test_a_hosts_page_in_swedish_only_is_offered_to_english_readers_marked_as_swedish(client, host_guide):
    host_guide("sv", "local-clinics", page_text(title="Våra mottagningar", order="150"))
    client.cookies["knipa_language"] = "en"
    listing = client.get(LIST).content.decode()
    assert '<li class="guide-list__item" lang="sv">' in listing
    page = client.get(reverse("guide:page", kwargs={"slug": "local-clinics"}))
    assert page.status_code == 200 and 'class="guide-page" aria-labelledby="guide-title" lang="sv"' in page.content.decode()


BROKEN = {
    "no header": "Just text, no header.\n",
    "order not a number": page_text(order="first"),
    "unknown spec id": page_text(covers="A1, Z9"),
    "unknown header key": "title: x\nsummary: y\norder: 1\nauthor: me\n\nText.\n",
    "link to nowhere": page_text(body="[x](guide:no-such-page)"),
    "unknown figure": page_text(body="/// figure | the-moon\nCaption.\n///"),
    "script link": page_text(body="[x](javascript:alert(1))"),
}


@pytest.mark.parametrize("problem", BROKEN)
def test_a_broken_hosts_page_is_logged_and_skipped_and_ours_is_served(client, host_guide, caplog, problem):
    path = host_guide("sv", "sport", BROKEN[problem])
    with caplog.at_level(logging.WARNING, logger="knipa.guide.pages"):
        response = client.get(reverse("guide:page", kwargs={"slug": "sport"}))
    assert response.status_code == 200
    assert f"<h1 id=\"guide-title\">{our_title('sport')}</h1>" in response.content.decode()  # ours, not the host's
    assert any(str(path) in record.getMessage() and "is not shown" in record.getMessage() for record in caplog.records), \
        [record.getMessage() for record in caplog.records]


def test_a_broken_new_hosts_page_is_simply_not_there(client, host_guide):
    host_guide("sv", "local-clinics", "no header at all\n")
    assert client.get(reverse("guide:page", kwargs={"slug": "local-clinics"})).status_code == 404
    assert client.get(LIST).status_code == 200


def test_a_file_name_that_is_not_a_slug_is_skipped(client, host_guide, caplog):
    host_guide("sv", "Local Clinics", page_text(title="Mottagningar"))
    with caplog.at_level(logging.WARNING, logger="knipa.guide.pages"):
        assert "Mottagningar" not in client.get(LIST).content.decode()
    assert any("must be a slug" in record.getMessage() for record in caplog.records)


def test_a_guide_folder_that_does_not_exist_leaves_our_pages(client, tmp_path, caplog):
    with override_settings(GUIDE_DIR=str(tmp_path / "missing")), caplog.at_level(logging.WARNING):
        assert client.get(HOW_IT_WORKS).status_code == 200
    assert any("not a folder" in record.getMessage() for record in caplog.records)


def test_knipa_manage_check_lists_every_page_left_out(host_guide):
    from knipa.guide.checks import guide_pages

    broken = host_guide("en", "local-clinics", page_text(body="[x](guide:nowhere)"))
    warnings = [warning.msg for warning in guide_pages()]
    assert any(str(broken) in message and "guide:nowhere" in message for message in warnings), warnings


# --- Rendered once ------------------------------------------------------------------------------


def test_a_page_is_rendered_once_and_again_only_when_its_file_changes(client, host_guide):
    path = host_guide("sv", "local-clinics", page_text(title="Mottagningar", body="Första texten."))
    url = reverse("guide:page", kwargs={"slug": "local-clinics"})
    assert "Första texten." in client.get(url).content.decode()
    misses = pages._render.cache_info().misses
    for _ in range(3):
        client.get(url)
    assert pages._render.cache_info().misses == misses, "an unchanged page was parsed again"
    path.write_text(page_text(title="Mottagningar", body="Andra texten, längre."), encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))
    assert "Andra texten, längre." in client.get(url).content.decode()
