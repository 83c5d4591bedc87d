"""Knipa behind a real nginx, set up as docs/hosting.md recommends (security review, issue 13).

Finding 1: with KNIPA_BEHIND_HTTPS_PROXY=true, Waitress dropped the proxy's X-Forwarded-Proto, so
Django never knew a request had come over HTTPS: no HSTS, session cookies without Secure, and with
KNIPA_HTTPS_REDIRECT=true every request was sent to the address it came from, for ever. Finding 2:
behind the proxy every request came from the proxy's address, so five wrong passwords from anyone
locked the person out everywhere.

Here Debian's nginx runs docs/deploy/nginx-knipa.conf itself (its ports, the app's port, the certificate's
files and the redirect's port filled in; nothing else changed) with TLS from a certificate made
for the test, in front of `knipa serve --no-worker` with a fresh data directory. Clients talk from
chosen loopback addresses (on Linux all of 127.0.0.0/8 is this machine): 127.0.0.1 is the person,
127.0.0.2 a stranger. What Django saw of their addresses is read from the login-throttling table.
"""

from __future__ import annotations

import datetime
import http.client
import os
import re
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tests.test_serve import free_port

ROOT = Path(__file__).resolve().parents[2]
SITE_CONFIG = ROOT / "docs" / "deploy" / "nginx-knipa.conf"
SITE = "knipa.example.org"
PERSON, STRANGER = "127.0.0.1", "127.0.0.2"
PASSWORD = "a long enough Passw0rd for nginx"
STARTUP_SECONDS = 60


# --- The site: nginx in front of `knipa serve` --------------------------------------------------


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for SITE, which the test's clients trust and nothing else does."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SITE)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(SITE)]), critical=False)
        # Its own issuer, so it is the trust anchor the clients are given.
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_file, key_file = directory / "fullchain.pem", directory / "privkey.pem"
    certificate_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return certificate_file, key_file


def site_config(*, http_port: int, https_port: int, app_port: int, certificate: Path, key: Path) -> str:
    """docs/deploy/nginx-knipa.conf with this test's ports and certificate, and nothing else changed."""
    text = SITE_CONFIG.read_text()
    changes = [
        # (what the documented file says, what the test runs, how many times it must be there)
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};", 1),
        ("listen 80;", f"listen 127.0.0.1:{http_port};", 1),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;", 1),
        # IPv6 may be missing on a test machine; the IPv4 lines above carry the test.
        ("listen [::]:80;", "", 1),
        ("listen [::]:443 ssl;", "", 1),
        (f"/etc/letsencrypt/live/{SITE}/fullchain.pem", str(certificate), 1),
        (f"/etc/letsencrypt/live/{SITE}/privkey.pem", str(key), 1),
        # $host has no port, and the test's HTTPS is not on 443.
        ("return 301 https://$host$request_uri;", f"return 301 https://$host:{https_port}$request_uri;", 1),
    ]
    for documented, tested, count in changes:
        assert text.count(documented) == count, f"{SITE_CONFIG.name} no longer says {documented!r}: update this test"
        text = text.replace(documented, tested)
    return text


def nginx_config(directory: Path, site_file: Path) -> str:
    """The main nginx.conf: an ordinary process, everything it writes in `directory`."""
    return f"""
daemon off;
master_process off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {directory}/access.log;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {site_file};
}}
"""


@dataclass
class Site:
    http_port: int
    https_port: int
    app_port: int
    cafile: Path
    data_dir: Path
    serve_log: Path

    def access_attempts(self) -> list[tuple[str, str]]:
        """(username, address) of each failed-login record django-axes keeps: what Django saw."""
        database = sqlite3.connect(f"file:{self.data_dir / 'knipa.sqlite3'}?mode=ro", uri=True)
        try:
            return database.execute("SELECT username, ip_address FROM axes_accessattempt ORDER BY id").fetchall()
        finally:
            database.close()


def wait_for_port(port: int, process: subprocess.Popen, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nothing answered on port {port} within {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def site(tmp_path_factory, nginx_executable):
    directory = tmp_path_factory.mktemp("behind-nginx")
    data_dir = directory / "data"
    http_port, https_port, app_port = free_port(), free_port(), free_port()
    certificate, key = make_certificate(directory)
    site_file = directory / "knipa.conf"
    site_file.write_text(site_config(http_port=http_port, https_port=https_port, app_port=app_port,
                                     certificate=certificate, key=key))
    (directory / "nginx.conf").write_text(nginx_config(directory, site_file))
    nginx_log = directory / "error.log"
    nginx = subprocess.Popen(
        [nginx_executable, "-p", str(directory), "-c", str(directory / "nginx.conf"), "-e", str(nginx_log)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    # The production settings docs/hosting.md gives, on a fresh data directory.
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("KNIPA_") and name != "DJANGO_SETTINGS_MODULE"}
    env.update(KNIPA_DATA_DIR=str(data_dir), KNIPA_BEHIND_HTTPS_PROXY="true", KNIPA_HTTPS_REDIRECT="true",
               KNIPA_ALLOWED_HOSTS=SITE, KNIPA_PUBLIC_URL=f"https://{SITE}", KNIPA_LOG_LEVEL="WARNING")
    serve_log = directory / "serve.log"
    with serve_log.open("w") as log:
        serve = subprocess.Popen(
            [sys.executable, "-m", "knipa", "serve", "--no-worker", "--threads", "4", "--port", str(app_port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=directory,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        wait_for_port(https_port, nginx, nginx_log, deadline)
        wait_for_port(app_port, serve, serve_log, deadline)
        yield Site(http_port, https_port, app_port, certificate, data_dir, serve_log)
    finally:
        stop(serve)
        stop(nginx)
    output = serve_log.read_text()
    assert "Traceback" not in output, output


# --- A client with its own cookies, talking from one address ------------------------------------


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def set_cookies(self) -> dict[str, dict]:
        """Each cookie this answer sets, with its attributes (secure, httponly, ...)."""
        cookies = {}
        for line in self.headers.get_all("Set-Cookie") or []:
            parsed = SimpleCookie()
            parsed.load(line)
            for name, morsel in parsed.items():
                cookies[name] = {"value": morsel.value, "secure": bool(morsel["secure"]),
                                 "httponly": bool(morsel["httponly"])}
        return cookies


@dataclass
class Browser:
    site: Site
    address: str = PERSON
    cookies: dict[str, str] = field(default_factory=dict)

    def _connection(self, scheme: str, port: int) -> http.client.HTTPConnection:
        # Connect to 127.0.0.1 from `address`, while asking for SITE (Host header, TLS name).
        sock = socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(self.address, 0))
        if scheme == "https":
            context = ssl.create_default_context(cafile=str(self.site.cafile))
            connection = http.client.HTTPSConnection(SITE, port, context=context)
            sock = context.wrap_socket(sock, server_hostname=SITE)
        else:
            connection = http.client.HTTPConnection(SITE, port)
        connection.sock = sock
        return connection

    def request(self, method: str, path: str, *, scheme: str = "https", port: int | None = None,
                form: dict | None = None, headers: dict | None = None) -> Answer:
        port = port or (self.site.https_port if scheme == "https" else self.site.http_port)
        connection = self._connection(scheme, port)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            origin = f"https://{SITE}:{self.site.https_port}"
            sent.setdefault("Origin", origin)
            sent.setdefault("Referer", origin + path)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.msg, response.read().decode(errors="replace"))
        finally:
            connection.close()
        for name, cookie in answer.set_cookies().items():
            if cookie["value"]:
                self.cookies[name] = cookie["value"]
            else:
                self.cookies.pop(name, None)
        return answer

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post_form(self, page: str, form: dict, *, action: str | None = None, headers: dict | None = None) -> Answer:
        """Fill in the form on `page` (with its CSRF token) and send it, as a person would."""
        shown = self.get(page)
        assert shown.status == 200, (page, shown.status, shown.text[:500])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', shown.text).group(1)
        return self.request("POST", action or page, form={"csrfmiddlewaretoken": token, **form}, headers=headers)


def main_part(page: str) -> str:
    """The page's <main>, to show in a failed assertion (the form's errors are there)."""
    found = re.search(r"(?s)<main.*</main>", page)
    return found.group(0)[:3000] if found else page[:3000]


def secure_a_profile(site: Site, username: str) -> None:
    """Someone starts training and gives their profile a username and password (from 127.0.0.1)."""
    person = Browser(site, PERSON)
    started = person.post_form("/", {}, action="/begin/")
    assert started.status == 302, main_part(started.text)
    saved = person.post_form("/account/", {"username": username, "password1": PASSWORD, "password2": PASSWORD})
    assert saved.status == 302, main_part(saved.text)


# --- The tests ----------------------------------------------------------------------------------


def test_through_nginx_https_reaches_django_with_hsts_and_secure_cookies_and_no_redirect_loop(site):
    browser = Browser(site)
    start = browser.get("/")
    # KNIPA_HTTPS_REDIRECT=true: before the fix this was a redirect to itself, for ever.
    assert start.status == 200, (start.status, start.header("Location"))
    assert start.header("Strict-Transport-Security") == "max-age=31536000"
    started = browser.post_form("/", {}, action="/begin/")
    assert started.status == 302 and started.header("Location").startswith("/welcome/")
    cookies = started.set_cookies()
    assert "knipa_session" in cookies, started.headers
    for name, cookie in cookies.items():
        assert cookie["secure"] and cookie["httponly"], (name, cookie)
    # The first onboarding step answers at once: HTTPS is seen on every request, not only the first.
    first_step = browser.get(started.header("Location"))
    assert first_step.status == 200 and first_step.header("Strict-Transport-Security")


def test_plain_http_is_sent_to_https_once_and_https_answers(site):
    browser = Browser(site)
    redirect = browser.get("/privacy/?from=http", scheme="http")
    assert redirect.status == 301
    target = redirect.header("Location")
    assert target == f"https://{SITE}:{site.https_port}/privacy/?from=http"
    page = browser.get(urllib.parse.urlsplit(target).path + "?from=http")
    assert page.status == 200 and "Strict-Transport-Security" in page.headers


def test_a_stranger_guessing_from_another_address_does_not_lock_the_person_out(site):
    # Finding 2: the lockout is per (username, address), and the address is the client's own.
    secure_a_profile(site, "sigrid")
    stranger = Browser(site, STRANGER)
    login_page = "/login/"
    answers = [
        # The stranger also claims to be the person's address: nginx replaces that header.
        stranger.post_form(login_page, {"username": "sigrid", "password": f"guess {attempt}"},
                           headers={"X-Forwarded-For": PERSON}).status
        for attempt in range(5)
    ]
    assert answers == [200, 200, 200, 200, 429]  # the fifth wrong password locks the stranger's pair
    assert stranger.post_form(login_page, {"username": "sigrid", "password": PASSWORD}).status == 429
    assert site.access_attempts() == [("sigrid", STRANGER)]  # Django saw the stranger's own address

    person = Browser(site, PERSON)
    logged_in = person.post_form(login_page, {"username": "sigrid", "password": PASSWORD})
    assert logged_in.status == 302 and logged_in.header("Location") == "/home/", main_part(logged_in.text)
    assert person.get("/account/").status == 200  # logged in (the profile is not onboarded yet)
    assert site.access_attempts() == [("sigrid", STRANGER)]  # and still holds the stranger off


def test_a_client_talking_to_waitress_directly_cannot_claim_https_another_host_or_another_address(site):
    # Waitress listens on 127.0.0.1 and trusts the proxy there; this client comes from 127.0.0.2.
    direct = Browser(site, STRANGER)
    answer = direct.get("/", scheme="http", port=site.app_port, headers={
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Port": "443",
        "X-Forwarded-For": PERSON,
    })
    # Django saw plain HTTP for the Host the client asked (not evil.example), so it redirects.
    assert answer.status == 301 and answer.header("Location") == f"https://{SITE}:{site.app_port}/"
    assert "Strict-Transport-Security" not in answer.headers
    # Waitress says which headers it removed (names only), which is also how a wrong
    # KNIPA_TRUSTED_PROXY shows itself in the log.
    removed = re.findall(r"Removed untrusted headers \(([^)]*)\)", site.serve_log.read_text())
    assert removed and {"X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"} <= set(
        re.split(r",\s*", removed[-1])), removed


def test_waitress_refuses_a_body_larger_than_any_upload_before_django_reads_it(site):
    with socket.create_connection(("127.0.0.1", site.app_port), timeout=10) as sock:
        sock.sendall(f"POST /login/ HTTP/1.1\r\nHost: {SITE}\r\nContent-Type: application/octet-stream\r\n"
                     f"Content-Length: {9 * 1024 * 1024}\r\n\r\n".encode())
        reply = sock.recv(4096).decode(errors="replace")
    assert reply.startswith("HTTP/1.1 413"), reply[:200]


def test_the_site_config_is_the_documented_one_with_only_ports_and_certificate_changed(tmp_path):
    config = site_config(http_port=1080, https_port=1443, app_port=18000,
                         certificate=tmp_path / "c.pem", key=tmp_path / "k.pem")
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in config  # replaced, never appended to
    assert "client_max_body_size 8m;" in config
    from django.conf import settings

    assert settings.SERVER_MAX_REQUEST_BODY_BYTES == 8 * 1024 * 1024
