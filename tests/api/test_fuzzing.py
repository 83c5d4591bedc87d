"""API fuzzing: schemathesis drives every operation of /api/openapi.json as a logged-in person.

Every generated request (valid and invalid bodies, odd path parts, extreme numbers and dates)
must get an answer the schema documents: no 5xx, no undocumented status, a body of the documented
shape. The person has months of data, so reads and deletes meet real rows. The app is called in
process (WSGI) inside the test's transaction, so nothing leaks between tests.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.db import close_old_connections
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from knipa.api import api
from tests.conftest import make_person
from tests.personal_data.test_data_export import give_everything

# A CSRF secret of the right length: the cookie and the header agree, as in the player.
CSRF_SECRET = "k" * 32
EXAMPLES_PER_OPERATION = 40


@pytest.fixture(autouse=True)
def connections_stay_open_between_requests():
    """The app is called in process, inside the test's transaction: as Django's own test client
    does, keep Django from closing the database connection at the end of each request (on
    PostgreSQL that would close the connection holding the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def person_session(db, collected_static_files):
    person = give_everything(make_person("fuzzed"))
    client = Client()
    client.force_login(person.user)
    _logged_in["cookies"] = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
                             settings.CSRF_COOKIE_NAME: CSRF_SECRET}
    yield person
    _logged_in.clear()


class WsgiAppMadeOnFirstRequest:
    """Knipa's WSGI application, made when the first case is sent (by then the static files the
    pages use are collected), not when this module is collected."""

    application = None

    def __call__(self, environ, start_response):
        if self.application is None:
            self.application = get_wsgi_application()
        return self.application(environ, start_response)


# The schema /api/openapi.json serves, read from the API object when the module is collected.
# (schemathesis.pytest.from_fixture() would be lazier, but does not work with pytest 9.)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
schema.app = WsgiAppMadeOnFirstRequest()


_logged_in: dict[str, dict] = {}  # this test's session cookies, set by the person_session fixture


@schema.auth(refresh_interval=None)  # a new person (and session) for every test: never cached
class LoggedInPerson:
    """Schemathesis knows this as the API's authentication, and also tries every operation without it."""

    def get(self, case, context):
        return _logged_in.get("cookies")

    def set(self, case, cookies, context):
        case.cookies = {**(case.cookies or {}), **cookies}


@schema.parametrize()
@hypothesis_settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                            HealthCheck.filter_too_much])
def test_no_api_answer_is_a_server_error_or_undocumented(case, person_session):
    # Plain bodies: the in-process client does not undo gzip as a browser does.
    case.headers = {**(case.headers or {}), "X-CSRFToken": CSRF_SECRET, "Accept-Encoding": "identity"}
    case.call_and_validate()
