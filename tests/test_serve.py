"""`knipa serve` gives a working Knipa: migrated, with static files, answering in Swedish.

Behind nginx: tests/hosting/test_behind_nginx.py.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_is_ready_within_seconds_and_stops_cleanly_on_sigterm(tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "KNIPA_DATABASE_URL"}
    env["KNIPA_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen(
        [sys.executable, "-m", "knipa", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        started = time.monotonic()
        page = None
        while time.monotonic() - started < 60:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert page is not None, "knipa serve did not answer within 60 s"
        assert '<html lang="sv">' in page and "Börja träna" in page
        stylesheet = page.split('rel="stylesheet" href="')[1].split('"')[0]
        assert stylesheet.startswith("/static/knipa/css/app.") and stylesheet.endswith(".css")  # hashed name
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet}", timeout=5) as response:
            assert response.status == 200
            assert "immutable" in response.headers.get("Cache-Control", "")
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=20)
    assert "Traceback" not in output
    assert "ready on http://127.0.0.1:" in output
    assert "with the reminder worker" in output  # the embedded install sends reminders too
    assert "trusts X-Forwarded" not in output  # no proxy configured: no forwarded header is believed


def test_serve_help_says_how_to_run_behind_an_https_proxy():
    result = subprocess.run([sys.executable, "-m", "knipa", "serve", "--help"], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0
    for words in ("KNIPA_BEHIND_HTTPS_PROXY", "KNIPA_TRUSTED_PROXY", "KNIPA_HTTPS_REDIRECT", "docs/hosting.md"):
        assert words in result.stdout, words
