"""The service worker as the server renders it (/sw.js, knipa/reminders/service_worker.py): one
release, the same bytes for everyone, a new release in new caches. What it does in the browser,
offline and across an update, is in tests/e2e/test_offline_app.py."""

from __future__ import annotations

import json
import re

import pytest
from django.templatetags.static import static
from django.urls import reverse

from knipa.reminders import service_worker

pytestmark = pytest.mark.django_db


def rendered(client) -> str:
    response = client.get(reverse("reminders:service_worker"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    return response.content.decode()


def constant(source: str, name: str) -> str:
    return re.search(rf"^const {name} = (.*);$", source, flags=re.M).group(1)


def test_the_worker_names_its_caches_after_the_release_of_the_static_files(client):
    source = rendered(client)
    release = service_worker.release()
    assert re.fullmatch(r"[0-9a-f]{16}", release)
    assert constant(source, "RELEASE") == f'"{release}"'
    assert "const SHELL = `knipa-shell-${RELEASE}`;" in source
    assert "const PAGES = `knipa-pages-${RELEASE}`;" in source


def test_the_worker_keeps_the_hashed_files_the_offline_pages_need_and_not_the_icons(client):
    kept = json.loads(constant(rendered(client), "PRECACHE"))
    for name in ("knipa/css/app.css", "knipa/css/pages.css", "knipa/css/player.css", "knipa/js/app.js",
                 "knipa/js/train.js", "knipa/js/player.js", "knipa/js/player/scheduler.js",
                 "knipa/js/player/outbox.js", "knipa/img/knipa.svg"):
        assert static(name) in kept, name
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", static(name)), "not a hashed (immutable) address"
    assert not [address for address in kept if address.endswith(".png")]
    assert not [address for address in kept if not address.startswith("/static/knipa/")]
    assert constant(rendered(client), "OFFLINE") == f'"{reverse("content:offline")}"'


def test_everyone_gets_the_same_worker_within_a_release(client, owner_client):
    owner_client.post(reverse("content:set_language"), {"language": "en", "next": "/"})
    assert rendered(client) == rendered(owner_client)


def test_a_changed_static_file_is_a_new_release_with_new_cache_names(client, monkeypatch):
    before = rendered(client)
    files = service_worker._hashed_files()
    assert files, "the static files' manifest is empty"
    changed = dict(files, **{"knipa/css/app.css": "knipa/css/app.000000000000.css"})
    monkeypatch.setattr(service_worker, "_hashed_files", lambda: changed)
    after = rendered(client)
    assert after != before  # so the browser installs the new worker
    old, new = constant(before, "RELEASE"), constant(after, "RELEASE")
    assert old != new
    # The new worker deletes every Knipa cache but its own two when it takes over.
    assert 'if (name !== SHELL && name !== PAGES) await caches.delete(name);' in after


def test_the_worker_still_shows_reminders_and_opens_the_round(client):
    source = rendered(client)
    assert 'addEventListener("push"' in source and 'addEventListener("notificationclick"' in source
    assert constant(source, "PLAYER") == f'"{reverse("training:player")}"'
    assert f'fetch("{reverse("reminders:snooze_token")}"' in source


def test_forms_that_change_who_uses_the_browser_make_the_worker_forget_the_kept_pages(client):
    source = rendered(client)
    for name in ("accounts:login", "accounts:logout", "accounts:begin", "accounts:delete"):
        assert f'"{reverse(name)}"' in source.split("const CHANGES_PERSON")[1].split("]);")[0], name
