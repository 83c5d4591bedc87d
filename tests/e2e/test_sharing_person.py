"""Sharing with a clinician, the person's side, in a real browser on a 390 px phone, in Swedish and
English (issue 16): the consent screen and the code, a clinician's code and its consent screen,
suggested numbers accepted, the access log, and stopping. The clinician's side (their sign-in with
a second factor and their pages) is driven through knipa.sharing.access here; every landing gets
the harness's checks (language, zero axe violations, no console or CSP problems)."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.urls import reverse

from knipa.accounts.models import Profile
from knipa.sharing import access
from knipa.sharing.models import Access, Share
from knipa.training import plans
from tests.conftest import make_person
from tests.e2e.test_newcomer_journey import expect_error_summary, expect_field_error, expect_message
from tests.e2e.test_player import LANGUAGES, log_in_as
from tests.sharing.people import OWNER_PRESCRIPTION, make_clinician
from tests.training.plan_seeding import follow_the_plan

OVERVIEW = reverse("sharing:overview")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(params=LANGUAGES)
def language(request) -> str:
    return request.param


def fits_the_phone(tab) -> None:
    overflow = tab.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{tab.path} is {overflow} px wider than a 390 px phone"


def test_a_person_shares_accepts_new_numbers_reads_the_log_and_stops(transactional_db, tab, language):
    tab.page.set_viewport_size(PHONE)
    person = make_person(f"sharer-{language}")
    follow_the_plan(person, weeks=2)
    physio = make_clinician(f"physio-{language}", "Sara Fysio", "Bäckenkliniken")
    log_in_as(tab, person.user.get_username(), language)

    # From the account page to sharing, and the consent screen: nothing shared without a tick.
    tab.visit(reverse("accounts:account"))
    tab.follow(f"main a[href='{OVERVIEW}']")
    tab.follow(f"main a[href='{reverse('sharing:share')}']")
    fits_the_phone(tab)
    for scope in ("rounds", "plan", "check_ins", "diary"):
        tab.page.uncheck(f"input[name=scopes][value={scope}]")
    tab.primary_submit()
    expect_error_summary(tab)
    expect_field_error(tab, "scopes")
    tab.page.check("input[name=scopes][value=rounds]")
    tab.page.check("input[name=scopes][value=diary]")
    tab.primary_submit()
    shown = tab.page.locator("[data-testid=share-code]").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", shown)
    fits_the_phone(tab)

    # The clinician enters it; then they suggest new numbers.
    share = access.redeem_code(shown, clinician=physio)
    assert share.scopes == ["rounds", "diary"]
    with transaction.atomic():  # a clinician's read and its log row, as the clinic's pages do
        access.log_access(share, Access.ROUNDS)
    access.make_prescription(share, OWNER_PRESCRIPTION, "Sitt ner, fem dagar i veckan.", "starting_point")

    # The home page mentions the suggestion in one line; the person accepts it.
    tab.visit(reverse("today:home"))
    tab.follow("main [data-testid=waiting-suggestion] a")
    fits_the_phone(tab)
    assert "Sitt ner, fem dagar i veckan." in tab.page.locator("main").inner_text()
    tab.submit("main button[name=answer][value=accept]")
    assert tab.path == reverse("training:plan")
    expect_message(tab)
    fresh = Profile.objects.get(pk=person.pk)  # the test's own object remembers the plan it read before
    assert plans.current_plan(fresh).parameters.strength_reps == OWNER_PRESCRIPTION["strength_reps"]

    # The access log shows the clinician's look.
    tab.visit(OVERVIEW)
    tab.follow(f"main a[href='{reverse('sharing:log')}']")
    assert tab.page.locator("[data-testid=access-log] tbody tr").count() >= 4
    assert "Sara Fysio" in tab.page.locator("[data-testid=access-log]").inner_text()
    fits_the_phone(tab)

    # Stopping takes effect at once.
    tab.visit(OVERVIEW)
    fits_the_phone(tab)
    tab.submit(f"main form[action='{reverse('sharing:stop', kwargs={'share_id': share.pk})}'] button")
    expect_message(tab)
    assert access.active_share(physio, share.pk) is None

    # A clinician's code: the consent screen names them before anything is shared.
    _code, plain = access.make_code(clinician=physio)
    tab.follow(f"main a[href='{reverse('sharing:enter_code')}']")
    tab.page.fill("input[name=code]", "ABCD-EFGH")
    tab.primary_submit()
    expect_field_error(tab, "code")
    tab.page.fill("input[name=code]", plain.lower())
    tab.primary_submit()
    assert "Sara Fysio" in tab.page.locator("[data-testid=consent-clinician]").inner_text()
    fits_the_phone(tab)
    tab.primary_submit()
    assert tab.path == OVERVIEW
    assert Share.objects.active().filter(profile=person, clinician=physio).get().scopes == ["rounds", "plan"]

