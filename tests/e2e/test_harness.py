"""The browser harness catches what it is there to catch (so a green run means something).

Each test spoils a real Knipa page on purpose, in the browser only, and expects the page check
to fail with a readable message. The app itself is not touched.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

START = reverse("content:start")


def test_the_harness_fails_a_page_with_an_accessibility_violation(tab):
    tab.visit(START)
    # An image without alternative text and a button without a name.
    tab.page.evaluate(
        """(PIXEL) => {
          const main = document.querySelector("main");
          main.appendChild(Object.assign(document.createElement("img"), {src: PIXEL, id: "spoiled"}));
          main.appendChild(Object.assign(document.createElement("button"), {className: "unnamed"}));
        }""",
        "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==",
    )
    with pytest.raises(AssertionError) as failure:
        tab.check()
    message = str(failure.value)
    assert "image-alt (critical)" in message and "#spoiled" in message
    assert "button-name (critical)" in message


def test_the_harness_reports_inline_scripts_and_styles_blocked_by_the_csp(tab):
    tab.visit(START)
    # page.evaluate itself is not subject to the page's CSP, but what it adds to the page is.
    tab.page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineScriptRan = true";
          document.head.appendChild(script);
          const style = document.createElement("style");
          style.textContent = "body { color: red }";
          document.head.appendChild(style);
        }"""
    )
    tab.page.wait_for_timeout(100)  # violation events are dispatched asynchronously
    assert tab.page.evaluate("window.inlineScriptRan === undefined"), "the CSP did not block an inline script"
    with pytest.raises(AssertionError) as failure:
        tab.check()
    message = str(failure.value)
    assert "CSP violation: script-src" in message
    assert "CSP violation: style-src" in message


def test_the_harness_fails_on_console_errors_and_uncaught_exceptions(tab):
    tab.visit(START)
    tab.page.evaluate("() => { console.error('something broke'); setTimeout(() => { throw new Error('uncaught'); }); }")
    tab.page.wait_for_timeout(100)
    with pytest.raises(AssertionError) as failure:
        tab.check()
    message = str(failure.value)
    assert "console error" in message and "something broke" in message
    assert "uncaught script error" in message


def test_the_harness_checks_the_language_of_every_page(tab):
    tab.visit(START)
    tab.language = "en"  # the person never chose English
    with pytest.raises(AssertionError, match="is in 'sv', expected 'en'"):
        tab.check()


def test_pages_that_differ_only_in_their_words_share_one_axe_scan_but_not_in_structure_or_emptiness():
    from tests.e2e.conftest import markup_key

    anna = '<h1>Hej Anna</h1><p>3 rundor i dag</p><input name="csrfmiddlewaretoken" value="abc">'
    bo = '<h1>Hej Bo</h1><p>12 rundor i dag</p><input name="csrfmiddlewaretoken" value="xyz">'
    assert markup_key(anna) == markup_key(bo)
    # An empty link or heading is a violation of its own; a different id or label is structure.
    assert markup_key('<a href="/">Hem</a>') != markup_key('<a href="/"> </a>')
    assert markup_key('<p id="a1">x</p>') != markup_key('<p id="a2">x</p>')
    assert markup_key('<button aria-label="Stäng">x</button>') != markup_key('<button>x</button>')
