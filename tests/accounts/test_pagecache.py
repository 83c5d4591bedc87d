"""Pages kept once rendered, and never shown out of date (knipa.accounts.pagecache).

A person's page is rendered once and then served from memory until their data changes: any
request of theirs that may write, or the plan changing by itself, moves their data version on.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from knipa.accounts.models import Profile, answers_changed
from knipa.training import plans

pytestmark = pytest.mark.django_db

HOME = reverse("today:home")


def english(client):
    """In English, with the CSRF cookie a browser gets from its first page with a form (the login)."""
    client.cookies["knipa_language"] = "en"
    client.get(reverse("training:plan"))
    assert client.cookies.get(settings.CSRF_COOKIE_NAME), "the plan page (with forms) should set the CSRF cookie"
    return client


def queries_for(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    return response, len(queries.captured_queries)


def test_a_page_seen_again_is_served_without_rendering_it_again(owner_client, owner):
    client = english(owner_client)
    first, first_queries = queries_for(client, HOME)
    second, second_queries = queries_for(client, HOME)
    assert second.content == first.content
    assert second.context is None, "the second view was rendered again"
    assert second_queries < first_queries


def test_a_change_the_person_makes_shows_on_the_next_view(owner_client, owner):
    client = english(owner_client)
    client.get(reverse("outcomes:leaks"))
    client.get(HOME)
    before = client.get(HOME).content.decode()
    assert "Before you start: how are things now?" in before  # the first check-in is offered
    client.post(reverse("outcomes:check_in"), {"frequency": "1", "amount": "1", "bother": "2", "confidence": "7",
                                               "pain": "no"})
    after = client.get(HOME).content.decode()
    assert "Before you start: how are things now?" not in after


def test_a_plan_that_changes_by_itself_shows_on_the_next_view(owner_client, owner):  # spec S1
    client = english(owner_client)
    plans.refresh(owner)
    client.get(HOME)
    assert "Relaxation practice" not in client.get(HOME).content.decode()
    Profile.objects.filter(pk=owner.pk).update(pain=True)
    owner.refresh_from_db()
    answers_changed.send(sender=Profile, profile=owner)  # the plan moves to relaxation (S1)
    assert "Relaxation practice" in client.get(HOME).content.decode()


def test_a_page_kept_for_one_person_is_never_served_to_another(owner_client, owner, stranger_client, stranger):
    owner_page = english(owner_client)
    owner_page.get(HOME)
    owner_page.get(HOME)
    # The stranger even presents the owner's CSRF cookie: the page is still their own.
    stranger_client.cookies[settings.CSRF_COOKIE_NAME] = owner_page.cookies[settings.CSRF_COOKIE_NAME].value
    stranger_client.cookies["knipa_language"] = "en"
    theirs = stranger_client.get(HOME)
    assert theirs.context is not None and theirs.context["profile"] == stranger


def test_another_browser_of_the_same_person_gets_a_page_with_its_own_form_token(client_factory, owner):
    phone, laptop = english(client_factory(owner.user)), english(client_factory(owner.user))
    for browser in (phone, laptop):
        browser.get(HOME)
        browser.get(HOME)
    for browser in (phone, laptop):
        # The form token on the page must work with this browser's own CSRF cookie.
        page = browser.get(reverse("training:plan")).content.decode()
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        browser.handler.enforce_csrf_checks = True
        response = browser.post(reverse("training:self_check"), {"csrfmiddlewaretoken": token})
        assert response.status_code == 302, "the form token of the kept page did not fit this browser"


def test_the_reminders_page_shows_a_reminder_the_worker_sent_since_it_was_kept(owner_client, owner):
    from datetime import timedelta

    from django.utils import timezone

    from knipa.reminders.models import Occurrence
    from knipa.reminders.outbox import OutcomeWriter

    client = english(owner_client)
    due = timezone.now() - timedelta(minutes=5)
    occurrence = Occurrence.objects.create(profile=owner, slot=0, due_at=due, next_attempt_at=due,
                                           claimed_by="worker", claimed_until=timezone.now() + timedelta(minutes=1))
    page = reverse("reminders:page")
    client.get(page)
    waiting = client.get(page).content.decode()
    # The worker records the outcome: the person's kept pages are out of date.
    writer = OutcomeWriter("worker")
    writer.add(occurrence, status=Occurrence.Status.SENT, sent_at=timezone.now())
    writer.flush()
    assert client.get(page).content.decode() != waiting


def test_a_page_is_kept_compressed_for_a_browser_that_takes_gzip_and_plain_for_one_that_does_not(owner_client):
    import functools
    import gzip
    import re

    client = english(owner_client)
    plain = client.get(HOME)
    compressed, compressed_queries = queries_for(client, HOME, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    again, again_queries = queries_for(client, HOME, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == again["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert again.context is None and compressed_queries > again_queries  # the second one was kept
    assert int(again["Content-Length"]) == len(again.content) < len(plain.content) / 2
    # The same page, but for the form token, which Django masks afresh on every rendering.
    unmasked = functools.partial(re.sub, r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN")
    assert unmasked(gzip.decompress(again.content).decode()) == unmasked(plain.content.decode())
    # The plain one is still kept plain.
    plain_again, plain_queries = queries_for(client, HOME)
    assert "Content-Encoding" not in plain_again and plain_again.context is None and plain_queries <= 1
    assert plain_again.content == plain.content


# --- Remembered for a second -------------------------------------------------------------------

def test_a_page_replayed_again_within_a_second_asks_the_database_nothing(owner_client):
    client = english(owner_client)
    client.get(HOME)
    _, checked = queries_for(client, HOME)
    again, remembered = queries_for(client, HOME)
    assert checked == 1 and remembered == 0 and again.context is None


def test_a_change_from_another_process_shows_once_the_second_has_passed(owner_client, owner, monkeypatch):
    from knipa.accounts import pagecache

    client = english(owner_client)
    client.get(HOME)
    client.get(HOME)  # kept, and its version remembered
    # Another process (a separate worker) moves the version on: this process cannot know at once.
    Profile.objects.filter(pk=owner.pk).update(data_version=owner.data_version + 7)
    assert client.get(HOME).context is None
    later = pagecache.monotonic() + pagecache.CONFIRM_SECONDS
    monkeypatch.setattr(pagecache, "monotonic", lambda: later)
    assert client.get(HOME).context is not None, "the change was hidden for longer than CONFIRM_SECONDS"


def test_a_change_this_browser_made_through_another_process_shows_on_its_very_next_page(owner_client, owner):
    from knipa.accounts.pagecache import CHANGED_COOKIE

    client = english(owner_client)
    client.get(HOME)
    client.get(HOME)
    response = client.post(reverse("outcomes:check_in"), {"frequency": "1", "amount": "1", "bother": "2",
                                                          "confidence": "7", "pain": "no"})
    assert response.cookies[CHANGED_COOKIE]["httponly"]
    # As if another process had handled that post: this one still remembers the old version.
    from knipa.accounts.pagecache import confirmations

    Profile.objects.filter(pk=owner.pk).update(data_version=owner.data_version)
    confirmations.remember(owner.pk, owner.user_id, client.session.session_key, owner.data_version,
                           pagecache_now(), confirmations.generation)
    assert client.get(HOME).context is not None, "the browser's changed cookie should give a new key"


def pagecache_now():
    from knipa.accounts import pagecache

    return pagecache.monotonic()


def test_a_read_that_began_before_a_change_is_not_remembered_after_it():
    from knipa.accounts.pagecache import _Confirmations

    remembered = _Confirmations()
    generation = remembered.generation
    remembered.forget([5])  # a change lands while the read is under way
    remembered.remember(5, 50, "session", 3, pagecache_now(), generation)
    assert not remembered.confirmed(5, "session", 3)
    remembered.remember(5, 50, "session", 3, pagecache_now(), remembered.generation)
    assert remembered.confirmed(5, "session", 3) and not remembered.confirmed(5, "session", 4)
    remembered.forget(user_id=50)
    assert not remembered.confirmed(5, "session", 3)
