"""The worker's push session: pywebpush's pushes over urllib3, with requests' environment settings
read once per push service. What a host sees: proxies and NO_PROXY are honoured, a .netrc never
replaces the VAPID signature, and an unreachable or silent push service is tried again later."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import translation

from knipa.reminders import channels
from knipa.reminders.models import PushSubscription
from knipa.reminders.vapid import vapid
from tests.reminders.push_service import PushService

pytestmark = pytest.mark.django_db
PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy",
                   "NO_PROXY", "no_proxy")


@pytest.fixture
def clean_environment(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


class RecordingProxy:
    """An HTTP proxy that answers every request itself, 201, and keeps the request lines."""

    def __init__(self):
        self.requests: list[tuple[str, dict]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802 - the http.server API
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                proxy.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        # A short poll, so that close() (shutdown) does not wait half a second.
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def subscription_for(browser, endpoint: str | None = None) -> PushSubscription:
    return PushSubscription(endpoint=endpoint or browser.endpoint, p256dh=browser.p256dh, auth=browser.auth,
                            label="Test browser")


def message() -> channels.Message:
    return channels.Message(title="Time", body="A round", url="/train/", tag="knipa-1", language="en")


def test_a_push_goes_through_the_proxy_the_environment_names(clean_environment):
    proxy = RecordingProxy()
    try:
        clean_environment.setenv("HTTP_PROXY", proxy.origin)
        with PushService() as service:
            browser = service.new_browser()
            endpoint = "http://push.example.test/push/" + browser.id
            outcome = channels.send_push(subscription_for(browser, endpoint), message(), channels.PushSession(),
                                         "knipa-1", vapid_key=vapid())
    finally:
        proxy.close()
    assert outcome.result is channels.Result.DELIVERED
    [(target, headers)] = proxy.requests
    assert target == endpoint  # the absolute address, as a proxy is asked
    assert headers["authorization"].startswith("vapid t=")
    assert headers["topic"] == "knipa-1"


def test_a_push_service_no_proxy_names_is_reached_directly(clean_environment):
    clean_environment.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    clean_environment.setenv("NO_PROXY", "127.0.0.1")
    with PushService() as service:
        browser = service.new_browser()
        outcome = channels.send_push(subscription_for(browser), message(), channels.PushSession(), vapid_key=vapid())
        assert outcome.result is channels.Result.DELIVERED
        assert service.problems() == []
        assert service.payloads()[0]["title"] == "Time"


def test_a_netrc_entry_for_the_push_service_never_replaces_the_vapid_signature(clean_environment, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password secret\n")
    netrc.chmod(0o600)
    clean_environment.setenv("NETRC", str(netrc))
    with PushService() as service:
        browser = service.new_browser()
        outcome = channels.send_push(subscription_for(browser), message(), channels.PushSession(), vapid_key=vapid())
        assert outcome.result is channels.Result.DELIVERED
        assert service.problems() == []  # the push service checked the VAPID signature


def test_a_push_service_that_cannot_be_reached_is_tried_again_later(clean_environment):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with PushService() as service:
        browser = service.new_browser()
    endpoint = f"http://127.0.0.1:{port}/push/{browser.id}"
    with translation.override("en"):
        outcome = channels.send_push(subscription_for(browser, endpoint), message(), channels.PushSession(),
                                     vapid_key=vapid())
    assert outcome.result is channels.Result.RETRY
    assert outcome.error == "The push service could not be reached."


def test_a_push_service_that_does_not_answer_in_time_is_tried_again_later(clean_environment, monkeypatch):
    monkeypatch.setattr(channels, "PUSH_TIMEOUT_SECONDS", 0.3)
    with socket.socket() as silent:  # accepts connections (the backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        with PushService() as service:
            browser = service.new_browser()
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}/push/{browser.id}"
        outcome = channels.send_push(subscription_for(browser, endpoint), message(), channels.PushSession(),
                                     vapid_key=vapid())
    assert outcome.result is channels.Result.RETRY


def test_a_refusal_from_the_push_service_is_reported_with_its_status(clean_environment):
    with PushService() as service:
        browser = service.new_browser()
        service.respond_with(browser.id, 413, 410, 503)
        session = channels.PushSession()
        with translation.override("en"):
            results = [channels.send_push(subscription_for(browser), message(), session, vapid_key=vapid())
                       for _ in range(3)]
    assert [r.result for r in results] == [channels.Result.FAILED, channels.Result.GONE, channels.Result.RETRY]
    assert results[2].error == "The push service was busy (503)."
