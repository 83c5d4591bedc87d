"""Browser test harness: Playwright (sync API) drives the system's Chromium against a live Knipa.

Every page a test lands on is checked in the same way (see `Tab.check`):

- `<html lang>` is the language the person chose;
- axe-core (shipped inside axe-playwright-python, so no network is needed) finds no violations;
- the browser reported no console error, uncaught script error or Content-Security-Policy
  violation: Knipa runs without inline scripts or styles, and a page that breaks that rule shows
  up here as a CSP violation.

A page whose rendered markup was already scanned clean in this run (the onboarding steps recur in
every journey) is not scanned again; KNIPA_E2E_AXE_EVERY_PAGE=1 scans every landing regardless.

The app's strict CSP stays enforced: contexts are made WITHOUT `bypass_csp`. axe is injected with
`page.evaluate`, which Chromium runs through the DevTools protocol (Runtime.evaluate), and CSP does
not govern that; `page.add_script_tag` would be blocked (an inline <script>), so it is not used.

Chromium is the one the machine has (never `playwright install`): $KNIPA_CHROMIUM, else the first
of /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome. Without it every test
here is skipped with a reason starting "NO CHROMIUM", and a banner says so in the terminal summary.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.chromium import CHROMIUM_ARGS, find_chromium

# The sync API keeps an asyncio loop running in the main thread; Django's ORM would otherwise
# refuse database access from the test (SynchronousOnlyOperation). The tests themselves are sync.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent


# Every test gets the same browser time zone, so the time zone step's detection can be checked.
BROWSER_TIME_ZONE = "Europe/Oslo"
# An English-speaking browser on purpose: Knipa ignores Accept-Language and starts in Swedish.
BROWSER_LOCALE = "en-US"

# Playwright's default is 30 s; a local page that takes more than this is a failure in itself.
TIMEOUT_MS = 10_000


def find_playwright() -> str:
    """Empty if the Python packages the harness needs import; otherwise why not."""
    try:
        import axe_playwright_python.sync_playwright  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"NO CHROMIUM DRIVER: {error} (install the test extras: pip install -e '.[test]')"
    return ""


CHROMIUM, SKIP_REASON = find_chromium()
SKIP_REASON = SKIP_REASON or find_playwright()


def _is_e2e(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items, not only this folder's.
    for item in items:
        if not _is_e2e(item):
            continue
        item.add_marker(pytest.mark.e2e)
        if SKIP_REASON:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def _skipped_for_want_of_a_browser(terminalreporter) -> int:
    count = 0
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        if isinstance(longrepr, tuple) and len(longrepr) == 3 and SKIP_REASON in str(longrepr[2]):
            count += 1
    return count


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # Never skip silently: the browser tests are the only check of the pages people really see.
    if not SKIP_REASON:
        return
    skipped = _skipped_for_want_of_a_browser(terminalreporter)
    if not skipped:
        return
    line = "!" * 78
    for text in (
        "",
        line,
        f"!!  {skipped} BROWSER TESTS (tests/e2e) WERE SKIPPED: NOTHING RAN IN A BROWSER",
        f"!!  {SKIP_REASON}",
        "!!  No page was checked for accessibility (axe), CSP violations or the newcomer journey.",
        line,
    ):
        terminalreporter.write_line(text, red=True, bold=True)


# --- The server -------------------------------------------------------------------------------


def _no_static_shortcut(application):
    return application


@pytest.fixture(scope="session")
def live_server(request, collected_static_files, django_db_setup):
    """pytest-django's live server, serving static files the way production does.

    pytest-django's own `live_server` puts Django's StaticFilesHandler in front, which looks files
    up with the finders under their plain names; Knipa's pages ask for the hashed names that only
    the collected manifest storage has (tests/conftest.py's `collected_static_files`), so every
    stylesheet would 404. Here /static/ is left to the app itself, i.e. to WhiteNoise, exactly as
    deployed. WhiteNoise indexes the collected files when the server starts, so they are collected
    before it does.
    Everything else (address option, transactional database via `_live_server_helper`) is
    pytest-django's.

    It starts after the test database is made (`django_db_setup`), so that it stops before the
    database is dropped at the end of the run (a test that opens a tab without asking for the
    database, as the first test of a parallel worker may, would otherwise start the server
    first), and the browser starts after it, so that it closes first: no request of the browser's
    is still being answered from the database when the database goes.
    """
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _no_static_shortcut
    server.start()
    yield server
    server.stop()


# --- The browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(live_server):
    # Asks for the live server so that it closes before the server stops (see `live_server`).
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield launched
    launched.close()
    playwright.stop()


# --- What every page must satisfy ---------------------------------------------------------------

# Runs in every document before the page's own scripts (added through the DevTools protocol, so the
# page's CSP does not apply to it) and reports each CSP violation to the test. Chromium usually logs
# a console error for them too; the event is the dependable signal, with the directive named.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__knipaReportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile || document.URL}:${event.lineNumber}`
  );
});
"""


@dataclass
class BrowserProblems:
    """What the browser complained about since the last check."""

    items: list[str] = field(default_factory=list)

    def take(self) -> list[str]:
        taken = list(self.items)
        self.items.clear()
        return taken


def _watch(page, problems: BrowserProblems) -> None:
    def on_console(message):
        if message.type == "error":
            location = message.location or {}
            problems.items.append(f"console error on {page.url}: {message.text} ({location.get('url', '')})")

    def on_response(response):
        if response.status >= 500:
            problems.items.append(f"HTTP {response.status} for {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.items.append(f"uncaught script error on {page.url}: {error}"))
    page.on("response", on_response)


def format_axe_violations(url: str, violations: list[dict], max_targets: int = 4) -> str:
    lines = [f"axe found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        nodes = violation.get("nodes", [])
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): {violation['help']}"
            f" [{len(nodes)} element(s)] {violation.get('helpUrl', '')}"
        )
        for node in nodes[:max_targets]:
            target = " ".join(str(part) for part in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            lines.append(f"    at {target}: {summary[:300]}")
        if len(nodes) > max_targets:
            lines.append(f"    ... and {len(nodes) - max_targets} more")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_runner():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


# axe-playwright-python's Axe.run sends all of axe-core (570 kB of script) into the page before
# every scan; here it is sent once per document, and a page checked several times (the player's
# screens) reuses it. The options are the library's: only violations are reported.
_AXE_IS_LOADED = "() => typeof window.axe === 'object' && window.axe !== null && typeof window.axe.run === 'function'"
_AXE_RUN = "([context, options]) => context === null ? axe.run(options) : axe.run(context, options)"
_AXE_OPTIONS = {"resultTypes": ["violations"]}


@pytest.fixture
def axe(axe_runner):
    """`axe(page)`: scan the page as it is now and fail on any violation."""

    def scan(page, context=None) -> None:
        if not page.evaluate(_AXE_IS_LOADED):
            page.evaluate(axe_runner.axe_script)
        violations = page.evaluate(_AXE_RUN, [context, _AXE_OPTIONS])["violations"]
        assert not violations, format_axe_violations(page.url, violations)

    return scan


# Set KNIPA_E2E_AXE_EVERY_PAGE=1 to scan even a page whose markup was already scanned.
AXE_EVERY_PAGE = os.environ.get("KNIPA_E2E_AXE_EVERY_PAGE", "") not in ("", "0")
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Text between tags: axe's rules read the document's structure, attributes and styles, and of the
# text only whether there is any (an empty link, button or heading), so each run of text counts as
# "some text". The home page of one test person and of another then have one key instead of one
# per name, date and count (73 scans of /home/ in a run became a handful); attributes, where a
# duplicate id or a missing label would show, are kept exactly.
_TEXT = re.compile(r">([^<]*[^<\s][^<]*)<")


def markup_key(markup: str) -> str:
    return _TEXT.sub(">text<", _CSRF_VALUE.sub(r"\1\2", markup))


class ScannedMarkup:
    """The keys of the markup scanned clean in this run. In a parallel run (pytest-xdist) the
    workers share them through a file in the run's temporary folder, so a page one worker has
    scanned is not scanned again by another. A key is written only after a clean scan, one line
    with one append, so a reader never takes a scan for done that is not."""

    def __init__(self, shared: Path | None = None):
        self.keys: set[str] = set()
        self.shared = shared

    def __contains__(self, key: str) -> bool:
        if key not in self.keys and self.shared is not None and self.shared.exists():
            self.keys.update(self.shared.read_text(encoding="ascii").split())
        return key in self.keys

    def add(self, key: str) -> None:
        self.keys.add(key)
        if self.shared is not None:
            with open(self.shared, "a", encoding="ascii") as keys:
                keys.write(key + "\n")


@pytest.fixture(scope="session")
def _scanned_markup(request, tmp_path_factory) -> ScannedMarkup:
    if not hasattr(request.config, "workerinput"):
        return ScannedMarkup()
    # Each worker's basetemp is a folder of its own inside the run's, which is new for every run.
    return ScannedMarkup(tmp_path_factory.getbasetemp().parent / "axe-clean-markup.txt")


@pytest.fixture
def axe_each_markup(axe, _scanned_markup):
    """Like `axe`, but a page whose rendered DOM (same viewport, same colour scheme, CSRF tokens
    and the words of its text aside: `markup_key`) was already scanned clean in this run is not
    scanned again: axe would give the same answer, and the onboarding steps recur in every
    journey. Halves the run time."""

    def scan(page) -> None:
        if AXE_EVERY_PAGE:
            axe(page)
            return
        markup = markup_key(page.content())
        dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        key = hashlib.sha256(f"{page.viewport_size}|{dark}|{markup}".encode()).hexdigest()
        if key in _scanned_markup:
            return
        axe(page)
        _scanned_markup.add(key)

    return scan


# --- Tabs: a person's browser, with every landing checked --------------------------------------


class Tab:
    """One browser (its own cookies: one device) with one page, driven like a person would.

    `visit` and `submit` land on a new page and check it: language, axe, browser problems.
    `language` is the `<html lang>` every checked page must have; tests change it when the
    person switches language.
    """

    def __init__(self, page, base_url: str, scan, problems: BrowserProblems, language: str = "sv"):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.scan = scan
        self.problems = problems
        self.language = language
        self.pages_checked: list[str] = []

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def path(self) -> str:
        url = self.page.url
        return url[len(self.base_url):] if url.startswith(self.base_url) else url

    def visit(self, path: str, *, status: int = 200) -> None:
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"GET {path} answered {response.status}, expected {status}"
        self.check()

    def submit(self, button) -> None:
        """Press a submit button (a Locator or a CSS selector) and check the page it leads to."""
        self._click_to_new_page(button, "submitting")

    def follow(self, link) -> None:
        """Follow a link (a Locator or a CSS selector) and check the page it leads to."""
        self._click_to_new_page(link, "following a link")

    def _click_to_new_page(self, target, action: str) -> None:
        locator = self.page.locator(target) if isinstance(target, str) else target
        origin = self.path
        with self.page.expect_navigation(wait_until="load") as navigation:
            locator.click()
        response = navigation.value
        assert response is not None and response.status < 400, (
            f"{action} on {origin} answered {response.status if response else 'nothing'} at {self.path}"
        )
        self.check()

    def primary_submit(self) -> None:
        """Press the main form's primary button (Next, Finish, Save ...)."""
        self.submit(self.page.locator("main form button.button--primary[type=submit]"))

    def switch_language(self, code: str) -> None:
        button = self.page.locator(f"header form.language-switch button[name=language][value={code}]")
        self.language = code  # the page the switch lands on must already be in the new language
        self.submit(button)

    def assert_language(self) -> None:
        lang = self.page.locator("html").get_attribute("lang")
        assert lang == self.language, f"{self.path} is in {lang!r}, expected {self.language!r}"

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        problems = self.problems.take()
        assert not problems, "the browser reported problems:\n" + "\n".join(problems)
        self.assert_language()
        self.scan(self.page)
        problems = self.problems.take()
        assert not problems, "the browser reported problems during the axe scan:\n" + "\n".join(problems)
        self.pages_checked.append(self.path)


@pytest.fixture
def open_tab(browser, live_server, axe_each_markup):
    """`open_tab(language="sv", color_scheme="light")`: a new browser context (a fresh device).

    `language` is what the device's pages are expected to be in until the person changes it:
    Swedish, since a new device has no language cookie.
    """
    opened: list[tuple[object, BrowserProblems]] = []

    def open_new(language: str = "sv", color_scheme: str = "light") -> Tab:
        context = browser.new_context(
            timezone_id=BROWSER_TIME_ZONE,
            locale=BROWSER_LOCALE,
            color_scheme=color_scheme,
            # A phone-sized screen: most people will train with Knipa on their phone.
            viewport={"width": 412, "height": 915},
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        problems = BrowserProblems()
        context.expose_binding(
            "__knipaReportCspViolation",
            lambda _source, text: problems.items.append(f"CSP violation: {text}"),
        )
        context.add_init_script(_REPORT_CSP_VIOLATIONS)
        page = context.new_page()
        _watch(page, problems)
        opened.append((context, problems))
        return Tab(page, live_server.url, axe_each_markup, problems, language=language)

    yield open_new

    leftovers = []
    for context, problems in opened:
        leftovers.extend(problems.take())
        context.close()
    assert not leftovers, "the browser reported problems after the last check:\n" + "\n".join(leftovers)


@pytest.fixture
def tab(open_tab) -> Tab:
    return open_tab()


@pytest.fixture
def page(tab):
    """The plain Playwright page of `tab`, for tests that drive it themselves."""
    return tab.page


@pytest.fixture
def visit(tab):
    """`visit(page, path)`: go to a path of the live server and check the page (axe included)."""

    def go(page, path: str, *, status: int = 200) -> None:
        assert page is tab.page, "visit() drives the page of the `tab` fixture; use another tab's .visit()"
        tab.visit(path, status=status)

    return go
