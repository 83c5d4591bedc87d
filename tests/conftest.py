"""Shared fixtures: the people every personal page is tested with (spec: ownership rules).

- `owner`: an onboarded person with distinctive answers, logged in as `owner_client`;
- `stranger`: another onboarded person, logged in as `stranger_client`;
- `client` (pytest-django): an anonymous visitor with no profile.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from knipa.accounts.models import Profile

PASSWORD = "a long enough Passw0rd for tests"


# Fixtures through which a test renders pages: Django's test client or the live server.
_PAGE_FIXTURES = {"client", "async_client", "admin_client", "client_factory", "live_server"}
_NO_PAGES = Path(__file__).resolve().parent / "program"


@pytest.fixture(scope="session")
def collected_static_files(request) -> None:
    """Collect the static files once per run, into the temporary data directory.

    Pages are served exactly as in production (hashed, compressed manifest), so a page can only
    render once the manifest exists. Collecting costs a few seconds, which tests that render no
    page (tests/program, the clinical core, runs in milliseconds) should not pay: see
    `_static_files_for_pages`. A test that renders a template without a client or the database
    (render_to_string of a page using {% static %}) asks for this fixture by name.

    In parallel runs (pytest-xdist) the workers inherit the controller's KNIPA_DATA_DIR, so they
    share one STATIC_ROOT: the first worker to need the files collects them while holding a lock,
    and the others wait for it and use what it collected, instead of writing the same files and
    manifest at the same time.
    """
    run = getattr(request.config, "workerinput", {}).get("testrunuid")
    if run is None:
        call_command("collectstatic", interactive=False, verbosity=0)
        return
    root = Path(settings.STATIC_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    done = root.parent / f".static-collected-{run}"
    with open(root.parent / ".static-collecting.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not done.exists():
            call_command("collectstatic", interactive=False, verbosity=0)
            done.touch()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database; on PostgreSQL, any other connection to it is closed before
    it is dropped at the end of the run.

    In a parallel worker that ran browser tests and then database tests, one idle connection
    (its last statement a test's ROLLBACK) outlives Django's own teardown, PostgreSQL refuses to
    drop a database in use, and test_<name>_gw0 was left behind. By then every other connection
    to this worker's own test database is a leftover.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _static_files_for_pages(request) -> None:
    # Any test outside tests/program that uses a client, the live server or the database may
    # render a page (tests also build their own `Client(...)`), so those collect first; the
    # live server asks for `collected_static_files` itself, since WhiteNoise indexes the files
    # when the server starts.
    if _NO_PAGES in Path(str(request.node.path)).resolve().parents:
        return
    uses_pages = _PAGE_FIXTURES.intersection(request.fixturenames)
    uses_database = request.node.get_closest_marker("django_db") or {"db", "transactional_db"}.intersection(
        request.fixturenames
    )
    if uses_pages or uses_database:
        request.getfixturevalue("collected_static_files")


_BROWSER_TESTS = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(config, items) -> None:
    # In a parallel run the workers take the tests in this order: the browser tests, which take
    # seconds each, go first, and the many quick ones fill in at the end, so that no worker is
    # left finishing a long test alone. (Every worker sorts alike, as pytest-xdist requires.)
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: _BROWSER_TESTS not in Path(str(item.path)).resolve().parents)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    # scripts/test runs pytest twice (the parallel part, then the timing tests alone) and prints
    # one count for the whole suite at the end: each run leaves its counts where it is told to.
    tally = os.environ.get("KNIPA_TEST_TALLY")
    if not tally or hasattr(config, "workerinput"):
        return
    kinds = ("passed", "failed", "error", "skipped", "xfailed", "xpassed", "deselected")
    counts = {kind: len(terminalreporter.stats.get(kind, [])) for kind in kinds}
    Path(tally).write_text(json.dumps(counts), encoding="utf-8")


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
