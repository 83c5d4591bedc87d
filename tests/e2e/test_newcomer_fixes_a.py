"""Issue 15, the newcomer walk (part a), in a real browser on a 390 px phone, in Swedish.

Every landing gets the harness's checks (conftest.py): `<html lang>`, axe, no console error or
CSP violation.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from knipa.accounts.models import Profile

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}
PASSWORD = "calm breaths and slow squeezes"

LOGIN = reverse("accounts:login")
TRAIN = reverse("training:player")
HOME = reverse("today:home")


def make_account(username: str = "returning") -> str:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Profile.objects.create(
        user=user, secured=True, language="sv", body="vagina", goals=["prevent"], pain=False,
        recent_event="none", pregnant=False, time_zone="Europe/Oslo", onboarded_at=timezone.now(),
    )
    return username


@pytest.fixture
def phone(open_tab):
    """A Swedish phone, 390 px wide."""

    def open_phone(size=PHONE, color_scheme="light"):
        tab = open_tab(color_scheme=color_scheme)
        tab.page.set_viewport_size(size)
        return tab

    return open_phone


def log_in(tab, username: str, password: str = PASSWORD) -> None:
    tab.page.fill("input[name=username]", username)
    tab.page.fill("input[name=password]", password)
    tab.submit("main form button.button--primary[type=submit]")


# --- 1. A deep link opened while logged out ------------------------------------------------------


def test_a_logged_out_link_to_training_leads_through_the_login_to_training(phone, transactional_db):
    username = make_account()
    tab = phone()
    tab.visit(TRAIN)
    assert tab.path == f"{LOGIN}?next=/train/"
    why = tab.page.locator("#login-to-continue")
    assert why.is_visible() and "Logga in" in why.inner_text()
    assert why.locator(f"a[href='{reverse('content:start')}']").is_visible()  # or start anew
    log_in(tab, username)
    assert tab.path == TRAIN


# --- 2. The calendar's addresses follow the server the page came from ---------------------------


def logged_in_phone(phone, username: str, **options):
    tab = phone(**options)
    tab.visit(LOGIN)
    log_in(tab, username)
    assert tab.path == HOME
    return tab


def test_the_calendar_address_is_the_servers_own_and_copies_with_one_tap(phone, transactional_db):
    tab = logged_in_phone(phone, make_account())
    page = tab.page
    tab.visit(reverse("reminders:page"))
    tab.submit("#calendar form button[name=action][value=create]")
    assert tab.path == reverse("reminders:page") + "#calendar"
    message = page.locator("main .messages .message").inner_text()
    assert "tidigare" not in message  # the first address: nothing earlier stopped working
    address = page.locator("#calendar-url").input_value()
    assert address.startswith(tab.base_url + "/calendar/"), address  # this server's port, not :8000
    webcal = page.get_by_test_id("webcal")
    assert webcal.get_attribute("href") == "webcal://" + address.split("://", 1)[1]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=tab.base_url)
    copy = page.locator("button[data-copy=calendar-url]")
    assert copy.is_visible()  # copy.js showed it
    copy.click()
    status = page.locator("#calendar-url-copied")
    page.wait_for_function("document.getElementById('calendar-url-copied').textContent.trim() !== ''")
    assert status.inner_text() == status.get_attribute("data-done")
    assert page.evaluate("navigator.clipboard.readText()") == address
    tab.submit("#calendar form button[name=action][value=regenerate]")
    assert "tidigare" in page.locator("main .messages .message").inner_text()


# --- 3. The phone's menu: every place in sight, nothing wraps or scrolls sideways ---------------

MAIN = {"I dag": HOME, "Träna": TRAIN, "Plan": reverse("training:plan"), "Guiden": reverse("guide:index")}
MORE = {
    "Historik": reverse("training:history"),
    "Framsteg": reverse("outcomes:progress"),
    "Påminnelser": reverse("reminders:page"),
    "Dina svar": reverse("accounts:profile"),
    "Konto": reverse("accounts:account"),
}


def inside_the_screen(page, locator) -> None:
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None, f"{locator} is not shown"
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"], (box, size)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [SMALL_PHONE, PHONE], ids=["360px", "390px"])
def test_every_place_in_the_menu_is_in_sight_on_a_phone(phone, transactional_db, size, color_scheme):
    tab = logged_in_phone(phone, make_account(), size=size, color_scheme=color_scheme)
    page = tab.page
    nav = page.locator("nav.site-nav")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]  # no sideways scroll
    for name, href in MAIN.items():
        link = nav.locator(f"a[href='{href}']")
        assert link.inner_text().strip() == name
        inside_the_screen(page, link)
        line_height = float(link.evaluate("a => parseFloat(getComputedStyle(a).lineHeight) || a.clientHeight"))
        assert link.evaluate("a => a.getClientRects().length") == 1
        assert link.evaluate("a => a.scrollWidth <= a.clientWidth"), f"{name} does not fit its button"
        assert line_height > 0
    assert nav.locator(f"a[href='{HOME}']").get_attribute("aria-current") == "page"
    more = nav.locator("details.site-nav__more > summary")
    inside_the_screen(page, more)
    assert more.inner_text().strip().startswith("Mer")
    for href in MORE.values():
        assert not nav.locator(f"a[href='{href}']").is_visible()  # folded away until asked for
    more.click()
    for name, href in MORE.items():
        link = nav.locator(f"a[href='{href}']")
        assert link.inner_text().strip() == name
        inside_the_screen(page, link)
    tab.scan(page)  # axe, with the menu open
    # The keyboard gets there too: Tab to "Mer", Enter opens and closes it.
    more.click()
    more.focus()
    page.keyboard.press("Enter")
    assert nav.locator("details.site-nav__more").get_attribute("open") is not None
    tab.follow(nav.locator(f"a[href='{MORE['Påminnelser']}']"))
    assert tab.path == MORE["Påminnelser"]
    current = page.locator("nav.site-nav a[aria-current=page]")
    assert current.count() == 1 and current.get_attribute("href") == MORE["Påminnelser"]
    for name, href in MAIN.items():
        tab.follow(page.locator(f"nav.site-nav a[href='{href}']"))
        assert tab.path.split("?")[0] == href
        assert page.locator(f"nav.site-nav a[href='{href}']").get_attribute("aria-current") == "page"
        inside_the_screen(page, page.locator(f"nav.site-nav a[href='{href}']"))


def test_on_a_wide_screen_the_menu_is_one_row_at_the_top(phone, transactional_db):
    tab = logged_in_phone(phone, make_account(), size={"width": 1024, "height": 768})
    page = tab.page
    header = page.locator("header.site-header").bounding_box()
    for href in [*MAIN.values(), *MORE.values()]:
        link = page.locator(f"nav.site-nav a[href='{href}']")
        assert link.is_visible()
        box = link.bounding_box()
        assert box["y"] + box["height"] <= header["y"] + header["height"], href  # in the header, at the top


def test_a_visitor_keeps_the_small_menu(phone):
    tab = phone()
    tab.visit(reverse("content:start"))
    links = tab.page.locator("nav.site-nav a")
    assert links.count() == 1 and links.first.get_attribute("href") == reverse("guide:index")
    inside_the_screen(tab.page, links.first)
