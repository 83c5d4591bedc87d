"""Page weight: the bytes a phone fetches for the player's first, cold load (issue 15).

What it measures. Knipa served by its production server (`knipa serve --no-prepare --no-worker`,
Waitress, DEBUG off, a fresh data directory, static files collected and compressed by
`knipa prepare`), a person with a profile logged in through the login form (bench/pages.py's
helpers), then the system Chromium (Playwright, as the browser tests drive it) opens /train/
with a cold cache on a 390 px phone screen and the network observed through the DevTools protocol:
every request of the page, with the bytes that came over the wire for it (`encodedDataLength` of
`Network.loadingFinished`: headers and body as transferred, compressed, 0 for what a cache
answered). The page counts as loaded when the load event has fired and no request has been under
way for a second.

Then, apart, what the service worker fetches in the background once the page has registered it
(when the page is idle) and it is active: the files and pages it keeps for offline use, from its
own Resource Timing entries (`transferSize`: headers and compressed body, 0 for what the HTTP cache
the page has just filled answered), and its script, `sw.js`, fetched here the way the browser
fetches it. That is work after the page is ready, once per release, and not part of the budget.

Printed: each request (status, type, bytes over the wire, path), the page's total in KB (1 KB =
1000 bytes), the number of requests and of third-party requests (any host but Knipa's), and the
service worker's total. The budget: at most 17 KB over the wire for the page, no third-party
request. The last line is one JSON object with the figures; the exit status is 1 when the budget
is not met.

Usage: .venv/bin/python bench/page_weight.py [--path /train/] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import free_port, log_in, start_server, wait_listening  # noqa: E402
from tests.e2e.chromium import CHROMIUM_ARGS, find_chromium  # noqa: E402

BUDGET_BYTES = 17_000
KB = 1000
# A phone: the width the walk used, a phone's pixel density and touch.
VIEWPORT = {"width": 390, "height": 844}
QUIET_SECONDS = 1.0
LOAD_TIMEOUT_S = 30


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Measure the bytes of the player's cold first load.")
    parser.add_argument("--path", default="/train/", help="the page to load (default: /train/)")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    # Internal: the child process that makes the person in the configured database.
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def seed() -> dict:
    """A person who has finished the introduction, on the first stage (learning)."""
    import django

    django.setup()
    from tests.conftest import PASSWORD, make_person

    person = make_person("weight-reader")
    return {"username": person.user.get_username(), "password": PASSWORD}


class Observed:
    """Requests seen through one DevTools session, by request id."""

    def __init__(self):
        self.requests: dict[str, dict] = {}
        self.last_activity = time.monotonic()

    def watch(self, session) -> None:
        session.on("Network.requestWillBeSent", self.sent)
        session.on("Network.responseReceived", self.received)
        session.on("Network.loadingFinished", self.finished)
        session.on("Network.loadingFailed", self.failed)
        session.send("Network.enable")

    def sent(self, event) -> None:
        self.last_activity = time.monotonic()
        entry = self.requests.setdefault(event["requestId"], {})
        entry.update(url=event["request"]["url"], method=event["request"]["method"],
                     type=event.get("type", ""), done=False, bytes=0, status=None)

    def received(self, event) -> None:
        self.last_activity = time.monotonic()
        entry = self.requests.setdefault(event["requestId"], {"done": False, "bytes": 0})
        response = event["response"]
        entry.update(status=response["status"], type=event.get("type", entry.get("type", "")),
                     cached=response.get("fromDiskCache") or response.get("fromPrefetchCache") or False,
                     from_worker=response.get("fromServiceWorker", False),
                     encoding=_header(response.get("headers", {}), "content-encoding"))

    def finished(self, event) -> None:
        self.last_activity = time.monotonic()
        entry = self.requests.setdefault(event["requestId"], {})
        entry.update(done=True, bytes=int(event.get("encodedDataLength", 0)))

    def failed(self, event) -> None:
        self.last_activity = time.monotonic()
        entry = self.requests.setdefault(event["requestId"], {})
        entry.update(done=True, failed=event.get("errorText", "failed"))

    def pending(self) -> int:
        return sum(1 for entry in self.requests.values() if not entry.get("done"))

    def entries(self) -> list[dict]:
        return [entry for entry in self.requests.values() if "url" in entry]


def _header(headers: dict, name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def wait_until_quiet(page, watch: Observed, timeout: float = LOAD_TIMEOUT_S) -> None:
    # Playwright hands over the DevTools events only while it is asked something: wait through it.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.wait_for_timeout(50)
        if not watch.pending() and time.monotonic() - watch.last_activity >= QUIET_SECONDS:
            return


# What the service worker fetched, from its own Resource Timing entries: `transferSize` is what
# came over the wire (headers and the encoded body), 0 for what the HTTP cache answered.
WORKER_ENTRIES = """() => performance.getEntriesByType("resource").map((entry) => ({
    url: entry.name, bytes: entry.transferSize, type: entry.initiatorType, status: entry.responseStatus || null}))"""


def script_bytes(url: str) -> int:
    """The worker's script as the browser's registration fetches it: headers and compressed body."""
    connection = HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=30)
    connection.request("GET", urlsplit(url).path, headers={"Accept-Encoding": "gzip, deflate, br",
                                                           "Service-Worker": "script"})
    response = connection.getresponse()
    body = response.read()
    head = f"HTTP/1.1 {response.status} {response.reason}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in response.getheaders()) + "\r\n"
    connection.close()
    return len(head.encode()) + len(body)


def measure(base_url: str, path: str, cookies: dict[str, str]) -> dict:
    from playwright.sync_api import sync_playwright

    chromium, reason = find_chromium()
    if chromium is None:
        sys.exit(reason)
    origin = urlsplit(base_url).netloc
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT, device_scale_factor=3, is_mobile=True, has_touch=True)
        host = urlsplit(base_url).hostname
        context.add_cookies([{"name": name, "value": value, "domain": host, "path": "/"}
                             for name, value in cookies.items()])
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        watch = Observed()
        watch.watch(context.new_cdp_session(page))

        started = time.monotonic()
        response = page.goto(base_url + path, wait_until="load")
        if response is None or response.status != 200:
            sys.exit(f"GET {path} answered {response.status if response else 'nothing'}")
        wait_until_quiet(page, watch)
        elapsed = time.monotonic() - started
        page_rows = watch.entries()
        # Then the service worker, which the page registers once it is idle, until it is active and
        # has kept what it keeps (the page it was registered from too).
        worker_ready = page.evaluate("""() => !('serviceWorker' in navigator) ? false : Promise.race([
            navigator.serviceWorker.ready.then(() => true),
            new Promise((resolve) => setTimeout(() => resolve(false), 15000))])""")
        worker_rows = []
        if worker_ready:
            page.wait_for_timeout(QUIET_SECONDS * 1000)
            for worker in context.service_workers:
                worker_rows.extend(worker.evaluate(WORKER_ENTRIES))
            worker_rows.append({"url": base_url + "/sw.js", "bytes": script_bytes(base_url + "/sw.js"),
                                "type": "script", "status": 200})
        context.close()
        browser.close()

    def summary(rows: list[dict]) -> dict:
        listed = []
        for entry in rows:
            listed.append({"url": entry["url"], "method": entry.get("method", "GET"), "status": entry.get("status"),
                           "type": entry.get("type", ""), "bytes": entry.get("bytes", 0),
                           "encoding": entry.get("encoding", ""), "failed": entry.get("failed", ""),
                           "third_party": urlsplit(entry["url"]).netloc != origin
                           and not entry["url"].startswith("data:")})
        return {"rows": listed, "bytes": sum(row["bytes"] for row in listed),
                "third_party": sum(1 for row in listed if row["third_party"])}

    return {"page": summary(page_rows), "worker": summary(worker_rows), "seconds": round(elapsed, 2),
            "worker_ready": worker_ready, "problems": problems}


def print_rows(title: str, part: dict, origin: str) -> None:
    print(title)
    for row in part["rows"]:
        where = row["url"].removeprefix(origin) if not row["third_party"] else row["url"]
        note = f" FAILED {row['failed']}" if row["failed"] else ""
        note += "  THIRD PARTY" if row["third_party"] else ""
        print(f"  {row['status'] or '-':>3} {row['type'][:10]:<10} {row['bytes']:>7} B {row['encoding'] or '':<5} "
              f"{row['method']} {where}{note}")
    print(f"  = {part['bytes'] / KB:.1f} KB over the wire in {len(part['rows'])} requests, "
          f"{part['third_party']} third-party")


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.seed:
        print(json.dumps(seed()))
        return 0
    data_dir = Path(tempfile.mkdtemp(prefix="knipa-weight-"))
    env = {**os.environ, "KNIPA_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "knipa.settings",
           "KNIPA_DEBUG": "false", "KNIPA_SERVE_WORKER": "false", "KNIPA_LOG_LEVEL": "WARNING",
           "KNIPA_ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONPATH": str(ROOT)}
    env.pop("KNIPA_DATABASE_URL", None)
    try:
        with ExitStack() as stack:
            subprocess.run([sys.executable, "-m", "knipa.cli", "prepare"], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)
            seeded = subprocess.run([sys.executable, __file__, "--seed"], cwd=ROOT, env=env, check=True,
                                    capture_output=True, text=True)
            person = json.loads(seeded.stdout.strip().splitlines()[-1])
            port = free_port()
            start_server([sys.executable, "-m", "knipa.cli", "serve", "--no-prepare", "--no-worker",
                          "--port", str(port)], env, "ready", data_dir / "knipa.log", stack)
            wait_listening(port)
            cookies = log_in(port, person["username"], person["password"])
            base_url = f"http://127.0.0.1:{port}"
            result = measure(base_url, args.path, cookies)
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)

    print(f"Knipa page weight: {args.path}, cold cache, {VIEWPORT['width']} px phone, "
          f"loaded and quiet in {result['seconds']} s")
    print_rows("The page:", result["page"], base_url)
    print_rows("The service worker, in the background after the page:", result["worker"], base_url)
    if not result["worker_ready"]:
        print("  (the service worker did not become active)")
    for problem in result["problems"]:
        print(f"  browser error: {problem}")
    page = result["page"]
    met = page["bytes"] <= BUDGET_BYTES and page["third_party"] == 0
    print(f"Budget: at most {BUDGET_BYTES / KB:.0f} KB and no third-party request: "
          f"{'met' if met else 'NOT MET'} ({page['bytes'] / KB:.1f} KB, {page['third_party']} third-party)")
    figures = {
        "path": args.path,
        "page_bytes": page["bytes"],
        "page_kb": round(page["bytes"] / KB, 1),
        "page_requests": len(page["rows"]),
        "third_party_requests": page["third_party"] + result["worker"]["third_party"],
        "worker_bytes": result["worker"]["bytes"],
        "worker_requests": len(result["worker"]["rows"]),
        "total_kb": round((page["bytes"] + result["worker"]["bytes"]) / KB, 1),
        "budget_kb": BUDGET_BYTES / KB,
        "met": met,
    }
    print(json.dumps(figures))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
