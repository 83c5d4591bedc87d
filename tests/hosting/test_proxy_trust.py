"""What Waitress, set up as `knipa serve` sets it up, hands Django from the proxy and from others.

The same wiring Waitress builds when serving (`create_server` with `waitress_options`), without
sockets or nginx: fast checks beside the end-to-end test in test_behind_nginx.py.
"""

from __future__ import annotations

import io

import pytest
from django.core.handlers.wsgi import WSGIRequest
from waitress.server import create_server

from knipa.cli import SERVE_EPILOG, waitress_options
from knipa.envconfig import ConfigError, env_address
from knipa.personal_data import export

FORWARDED = {
    "HTTP_X_FORWARDED_FOR": "198.51.100.7",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_HOST": "knipa.example.org",
    "HTTP_X_FORWARDED_PORT": "443",
}


def handed_to_django(settings, peer: str, headers: dict[str, str]) -> dict:
    """The WSGI environ Django gets for a request from `peer` carrying `headers`."""
    seen = {}

    def django(environ, start_response):
        seen.update(environ)
        return []

    server = create_server(django, _start=False, host="127.0.0.1", port=0, **waitress_options(settings))
    try:
        environ = {"REMOTE_ADDR": peer, "wsgi.url_scheme": "http", "HTTP_HOST": "127.0.0.1:8000",
                   "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "REQUEST_METHOD": "GET", "PATH_INFO": "/",
                   **headers}
        server.application(environ, lambda *args: None)  # Django wrapped as Waitress serves it
    finally:
        server.close()
    return seen


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY = "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLOWED_HOSTS = ["knipa.example.org"]
    return settings


def test_from_the_trusted_proxy_django_sees_https_the_site_and_the_client(behind_proxy):
    environ = handed_to_django(behind_proxy, "127.0.0.1", FORWARDED)
    request = WSGIRequest({**environ, "wsgi.input": io.BytesIO()})
    assert request.is_secure() and request.get_host() == "knipa.example.org"
    assert environ["REMOTE_ADDR"] == "198.51.100.7"


def test_from_anyone_else_the_forwarded_headers_are_dropped(behind_proxy):
    environ = handed_to_django(behind_proxy, "127.0.0.2", {**FORWARDED, "HTTP_FORWARDED": "for=1.2.3.4;proto=https"})
    assert environ["wsgi.url_scheme"] == "http" and environ["REMOTE_ADDR"] == "127.0.0.2"
    assert environ["HTTP_HOST"] == "127.0.0.1:8000"
    assert not {name for name in environ if "FORWARDED" in name}


def test_without_a_proxy_nobody_is_believed(settings):
    settings.TRUSTED_PROXY = ""
    environ = handed_to_django(settings, "127.0.0.1", FORWARDED)
    assert environ["wsgi.url_scheme"] == "http" and environ["REMOTE_ADDR"] == "127.0.0.1"
    assert not {name for name in environ if "FORWARDED" in name}


def test_the_trusted_proxy_must_be_one_address(monkeypatch):
    for written, meant in (("127.0.0.1", "127.0.0.1"), ("[::1]", "::1"), ("0:0:0:0:0:0:0:1", "::1"), ("", "")):
        monkeypatch.setenv("KNIPA_TRUSTED_PROXY", written)
        assert env_address("KNIPA_TRUSTED_PROXY", "") == meant
    for wrong in ("localhost", "10.0.0.0/8", "127.0.0.1,10.0.0.1"):
        monkeypatch.setenv("KNIPA_TRUSTED_PROXY", wrong)
        with pytest.raises(ConfigError, match="KNIPA_TRUSTED_PROXY"):
            env_address("KNIPA_TRUSTED_PROXY", "")


def test_the_server_refuses_bodies_only_well_above_the_largest_upload(settings):
    cap = waitress_options(settings)["max_request_body_size"]
    assert cap == settings.SERVER_MAX_REQUEST_BODY_BYTES >= export.MAX_BYTES + 1024 * 1024
    assert f"over {cap // (1024 * 1024)} MB" in SERVE_EPILOG  # `knipa serve --help` tells the truth
