"""No cache keeps a person's pages (security review, issue 13, finding 10).

Every answer to a browser with a session, and every API answer, says `Cache-Control: no-store`:
neither a cache on the way nor the browser's own (a shared computer's next user, the Back button)
may keep it. Kept pages (knipa.accounts.pagecache) are sent again with the header. Public pages
seen without a session and static files keep their caching.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext

from knipa.reminders.models import ReminderSettings
from tests.personal_data.test_data_export import give_everything
from tests.routes import every_route
from tests.sharing.people import give_a_share
from tests.test_pages_only_read import FEED_TOKEN, samples_for

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def owner_with_months(owner):
    give_everything(owner)
    give_a_share(owner)  # the sharing and clinic routes' samples are the owner's share (issue 16)
    ReminderSettings.objects.filter(profile=owner).update(calendar_token=FEED_TOKEN)
    return owner


def test_every_route_answers_a_person_with_no_store(owner_with_months, owner_client):
    samples = samples_for(owner_with_months)
    stored = []
    answered = 0
    for route in every_route():
        path = route.path(samples)
        response = owner_client.get(path)
        answered += response.status_code == 200
        if not no_store(response):
            stored.append(f"GET {path} ({response.status_code}): Cache-Control {response.get('Cache-Control')!r}")
    assert not stored, "\n".join(stored)
    assert answered > 30, "too few routes answered: the sweep does not reach the pages"


def test_a_kept_page_is_sent_again_with_no_store(owner_client):
    owner_client.get("/plan/")  # the CSRF cookie a browser has (a page that sets one is not kept)
    first = owner_client.get("/home/")
    assert first.status_code == 200 and no_store(first)
    with CaptureQueriesContext(connection) as queries:
        again = owner_client.get("/home/")
    assert again.context is None and len(queries) == 1, "the page was rendered again, not the kept one"
    assert again.status_code == 200 and no_store(again)
    assert again.content == first.content


def test_api_answers_and_what_starts_or_ends_a_session_say_no_store(client, owner_client):
    assert no_store(client.get("/api/timeline"))  # refused, but still not for keeping
    refused = owner_client.post("/api/rounds", data="{", content_type="application/json")
    assert refused.status_code in {400, 422} and no_store(refused)
    begun = client.post("/begin/")
    assert begun.status_code == 302 and no_store(begun)


def test_public_pages_and_static_files_keep_their_caching(client, owner_client):
    for path in ("/", "/privacy/", "/sw.js"):
        response = client.get(path)
        assert response.status_code == 200 and not no_store(response), path
    stylesheet = static("knipa/css/app.css")
    for visitor in (client, owner_client):
        response = visitor.get(stylesheet)
        assert response.status_code == 200, stylesheet
        assert "immutable" in response["Cache-Control"] and not no_store(response)
