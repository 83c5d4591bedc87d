"""Shared fixtures: the people every personal page is tested with (spec: ownership rules).

- `owner`: an onboarded person with distinctive answers, logged in as `owner_client`;
- `stranger`: another onboarded person, logged in as `stranger_client`;
- `client` (pytest-django): an anonymous visitor with no profile.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from knipa.accounts.models import Profile

PASSWORD = "a long enough Passw0rd for tests"


def pytest_configure(config):
    # Static files are served exactly as in production (hashed, compressed manifest), so they
    # must be collected once, into the temporary data directory, before any page is rendered.
    call_command("collectstatic", interactive=False, verbosity=0)


def make_person(username: str, **answers) -> Profile:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    defaults = {
        "secured": True,
        "body": "vagina",
        "goals": ["urinary_leakage"],
        "pain": False,
        "recent_event": "none",
        "go_ahead": False,
        "pregnant": False,
        "time_zone": "Europe/Stockholm",
        "onboarded_at": timezone.now(),
    }
    defaults.update(answers)
    return Profile.objects.create(user=user, **defaults)


@pytest.fixture
def owner(db) -> Profile:
    # Distinctive answers, so a test can tell whose data a page shows.
    return make_person(
        "owner",
        body="penis",
        goals=["cough", "prolapse"],
        time_zone="Pacific/Chatham",
    )


@pytest.fixture
def stranger(db) -> Profile:
    return make_person("stranger", time_zone="America/Lima", goals=["prevent"])


@pytest.fixture
def owner_client(client_factory, owner):
    return client_factory(owner.user)


@pytest.fixture
def stranger_client(client_factory, stranger):
    return client_factory(stranger.user)


@pytest.fixture
def client_factory(db):
    from django.test import Client

    def make(user=None) -> Client:
        new_client = Client()
        if user is not None:
            new_client.force_login(user)
        return new_client

    return make
