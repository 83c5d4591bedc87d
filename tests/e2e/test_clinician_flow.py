"""Issue 16's "Done means", in real browsers, in Swedish and English: a person shares from a 390 px
phone; the clinician, on a tablet, sets the password from the host's link, signs in with a second
factor (connecting an authenticator app the first time; the codes are computed as the app would),
finds the person on the follow-up list, prescribes new numbers; the person accepts them and the plan
trains with them; the person withdraws, and the clinician's next request gets nothing. The access
log shows every step. Every landing gets the harness's checks (language, zero axe violations, no
console or CSP problems)."""

from __future__ import annotations

import base64
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from knipa.accounts.models import Profile
from knipa.clinicians import hosting
from knipa.clinicians.models import Clinic
from knipa.outcomes.models import CheckIn
from knipa.sharing import access
from knipa.sharing.models import AccessLog, Share
from knipa.training import plans
from tests.clinicians.people import PASSWORD, app_of, code_for, make_clinician, make_staff
from tests.conftest import make_person
from tests.e2e.test_newcomer_journey import expect_field_error, expect_message
from tests.e2e.test_player import LANGUAGES, log_in_as
from tests.e2e.test_sharing_person import PHONE, fits_the_phone
from tests.training.plan_seeding import follow_the_plan

TABLET = {"width": 820, "height": 1180}
CLINICIAN_PASSWORD = "Bäckenbotten är stark 2026"


@pytest.fixture(params=LANGUAGES)
def language(request) -> str:
    return request.param


def secret_hex(shown: str) -> str:
    """The key the set-up page shows (base32 in groups, as typed into an app) as hex."""
    plain = shown.replace(" ", "")
    return base64.b32decode(plain + "=" * (-len(plain) % 8)).hex()


def expect_not_found(tab, path: str) -> None:
    """The page answers 404 (the browser logs that as a console error: the one expected problem),
    and the 404 page itself passes the harness's checks."""
    response = tab.page.goto(tab.url(path), wait_until="load")
    assert response is not None and response.status == 404, f"GET {path}: {response and response.status}"
    unexpected = [problem for problem in tab.problems.take() if "status of 404" not in problem]
    assert not unexpected, unexpected
    tab.check()


def test_a_person_shares_a_clinician_prescribes_the_person_accepts_and_withdraws(transactional_db, open_tab,
                                                                                language):
    person = make_person(f"patient-{language}")
    follow_the_plan(person, weeks=2)
    CheckIn.objects.create(profile=person, at=timezone.now(), frequency=2, amount=2, bother=5, confidence=6)
    clinic = Clinic.objects.create(name="Bäckenkliniken")
    clinician, link = hosting.add_clinician(clinic, f"physio-{language}", "Sara Fysio", "physiotherapist")

    # The clinician chooses a password with the host's link, on a tablet.
    desk = open_tab()
    desk.page.set_viewport_size(TABLET)
    desk.visit(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    if language != "sv":
        desk.switch_language(language)
    desk.page.fill("input[name=new_password1]", CLINICIAN_PASSWORD)
    desk.page.fill("input[name=new_password2]", CLINICIAN_PASSWORD)
    desk.primary_submit()
    assert desk.path == reverse("clinicians:login")
    expect_message(desk)

    # First sign-in: the password, then an authenticator app, then the recovery codes once.
    desk.page.fill("input[name=username]", f"physio-{language}")
    desk.page.fill("input[name=password]", CLINICIAN_PASSWORD)
    desk.primary_submit()
    assert desk.path == reverse("clinicians:enrol")
    assert desk.page.locator("img.qr-code").get_attribute("src").startswith("data:image/svg+xml")
    key = secret_hex(desk.page.locator("[data-testid=secret-key]").inner_text())
    desk.page.fill("input[name=code]", "000000" if code_for(key) != "000000" else "111111")
    desk.primary_submit()
    assert desk.path == reverse("clinicians:enrol")  # a wrong code is refused where it was typed
    desk.page.fill("input[name=code]", code_for(key))
    desk.primary_submit()
    assert desk.path == reverse("clinicians:recovery_codes")
    assert desk.page.locator("[data-testid=recovery-codes] li").count() == 10
    desk.follow("main a.button--primary")
    assert desk.path == reverse("clinic:home")

    # The person shares everything from their phone and gives the clinician the code.
    phone = open_tab()
    phone.page.set_viewport_size(PHONE)
    log_in_as(phone, person.user.get_username(), language)
    phone.visit(reverse("sharing:share"))
    for scope in ("rounds", "plan", "check_ins", "diary"):
        phone.page.check(f"input[name=scopes][value={scope}]")
    phone.primary_submit()
    shown = phone.page.locator("[data-testid=share-code]").inner_text().strip()
    fits_the_phone(phone)

    # The clinician enters it and finds the person on the follow-up list.
    desk.visit(reverse("clinic:redeem"))
    desk.page.fill("input[name=code]", shown)
    desk.primary_submit()
    expect_message(desk)
    share = Share.objects.active().get(profile=person, clinician=clinician)
    desk.visit(reverse("clinic:home"))
    row = desk.page.locator("[data-testid=follow-up-row]")
    assert row.count() == 1 and person.user.get_username() not in row.inner_text()  # never the username
    desk.follow(row.locator("th a"))
    assert desk.path == reverse("clinic:person", kwargs={"share_id": share.pk})
    assert desk.page.locator("[data-testid=plan-changes] li").count() >= 1

    # New numbers, checked by the program's bounds: first a rest shorter than the hold (T4).
    form = desk.page.locator("form.prescription-form")
    form.locator("select[name=stage]").select_option("training")
    for name, value in {"strength_hold_seconds": "6", "strength_rest_seconds": "4", "strength_reps": "12",
                        "rounds_per_day": "2", "days_per_week": "5"}.items():
        form.locator(f"input[name={name}]").fill(value)
    form.locator("input[name=positions][value=sitting]").check()
    form.locator("input[name=mode][value=starting_point]").check()
    form.locator("textarea[name=note]").fill("Sitt ner, fem dagar i veckan.")
    desk.submit(form.locator("button[type=submit]"))
    assert desk.page.locator(".field--error [name=strength_rest_seconds]").count() == 1
    desk.page.locator("form.prescription-form input[name=strength_rest_seconds]").fill("12")
    desk.submit("form.prescription-form button[type=submit]")
    expect_message(desk)

    # The person accepts on the phone, and the plan trains with the numbers.
    phone.visit(reverse("today:home"))
    phone.follow("main [data-testid=waiting-suggestion] a")
    assert "Sitt ner, fem dagar i veckan." in phone.page.locator("main").inner_text()
    phone.submit("main button[name=answer][value=accept]")
    fresh = Profile.objects.get(pk=person.pk)
    assert plans.current_plan(fresh).parameters.strength_reps == 12
    fits_the_phone(phone)

    # The person withdraws; the clinician's next request gets nothing.
    phone.visit(reverse("sharing:overview"))
    phone.submit(f"main form[action='{reverse('sharing:stop', kwargs={'share_id': share.pk})}'] button")
    expect_message(phone)
    expect_not_found(desk, reverse("clinic:person", kwargs={"share_id": share.pk}))
    desk.visit(reverse("clinic:home"))
    assert desk.page.locator("[data-testid=follow-up-row]").count() == 0

    # The access log shows every step, on the person's page of it.
    steps = list(AccessLog.objects.filter(profile=person).order_by("at", "id").values_list("what", flat=True))
    for what in ("share_started", "follow_up_list", "rounds", "plan", "check_ins", "diary",
                 "prescription_made", "prescription_accepted", "share_stopped"):
        assert what in steps, what
    phone.visit(reverse("sharing:log"))
    log = phone.page.locator("[data-testid=access-log]").inner_text()
    assert "Sara Fysio" in log and re.search(r"Bäckenkliniken", log)
    fits_the_phone(phone)


def sign_in_with_the_app(tab, username: str, device) -> None:
    tab.visit(reverse("clinicians:login"))
    tab.page.fill("input[name=username]", username)
    tab.page.fill("input[name=password]", PASSWORD)
    tab.primary_submit()
    assert tab.path == reverse("clinicians:code")
    tab.page.fill("input[name=code]", code_for(device.key))
    tab.primary_submit()


def test_the_host_makes_a_clinician_and_every_other_clinic_page_passes_the_checks(transactional_db, open_tab,
                                                                                 language):
    host = make_staff(f"host-{language}")
    desk = open_tab()
    desk.page.set_viewport_size(TABLET)
    if language != "sv":
        desk.visit(reverse("clinicians:login"))
        desk.switch_language(language)
    sign_in_with_the_app(desk, host.username, app_of(host))
    assert desk.path == reverse("clinic:staff")
    desk.page.fill("input[name=clinic-name]", "Bäckenkliniken")
    desk.submit("main form:has(input[name=make][value=clinic]) button[type=submit]")
    expect_message(desk)
    desk.page.select_option("select[name=clinician-clinic]", label="Bäckenkliniken")
    desk.page.fill("input[name=clinician-username]", f"eva-{language}")
    desk.page.fill("input[name=clinician-display_name]", "Eva Berg")
    desk.page.select_option("select[name=clinician-profession]", "midwife")
    desk.submit("main form:has(input[name=make][value=clinician]) button[type=submit]")
    assert "/clinic/welcome/" in desk.page.locator("[data-testid=welcome-link]").inner_text()
    desk.submit("nav.clinic-nav form button[type=submit]")  # sign out

    # A clinician with an app: the code step, a person's summary, a code of theirs, a wrong code.
    clinician = make_clinician(f"physio-{language}")
    person = make_person(f"patient-{language}")
    follow_the_plan(person, weeks=1)
    share = access.start_share(person, clinician, ["rounds", "check_ins"])
    sign_in_with_the_app(desk, clinician.user.username, app_of(clinician.user))
    assert desk.path == reverse("clinic:home")
    desk.visit(reverse("clinic:summary", kwargs={"share_id": share.pk}))
    assert desk.page.locator("[data-testid=summary-weeks]").count() == 1
    desk.visit(reverse("clinic:home"))
    desk.submit(f"main form[action='{reverse('clinic:make_code')}'] button")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", desk.page.locator("[data-testid=clinician-code]").inner_text())
    desk.visit(reverse("clinic:redeem"))
    desk.page.fill("input[name=code]", "ABCD-EFGH")
    desk.primary_submit()
    expect_field_error(desk, "code")
