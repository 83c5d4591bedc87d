"""Who may reach what: every route of the URL resolver, tried as the owner, a stranger and an
anonymous visitor (issue 13, "Checks that stay").

Each route is listed in ACCESS with what it is:

- PUBLIC: anyone may open it, and nobody finds a person's data there;
- PERSONAL: the logged-in person's own (no id in the URL): a visitor without a session is sent
  away (or gets 401 from the API), a stranger sees only their own data;
- OBJECT: one of the owner's rows, by id: a stranger and a visitor get nothing, with any method,
  and the row stays as it was;
- SECRET_LINK: reached by a secret token from a mail, a notification or a calendar app: a made-up
  token opens nothing of anyone's and changes nothing;
- CLINICIAN: a clinician's page (issue 16): only a clinician signed in with the second factor gets
  it (a visitor is sent to the clinic's sign-in, a person is refused), and a person's data only
  through an active share with that very clinician: a clinician without the owner's consent, or
  whose consent was withdrawn, gets a 404 for the owner's share id and never sees the owner's data.
  Person pages refuse every clinician.

A route missing from ACCESS fails the test by name: a new route needs its stranger case here.
The owner has months of data, and the pages the others get are searched for the owner's marks
(round ids, the ids in delete links, address, calendar token, push endpoint).
"""

from __future__ import annotations

import pytest

from knipa.outcomes.models import DiaryEntry, Leak
from knipa.reminders.models import Occurrence, PushSubscription
from knipa.sharing import access
from knipa.sharing.models import AccessLog, Prescription, Scope, Share, ShareCode
from knipa.training.models import TrainingRound
from tests.personal_data.test_data_export import CALENDAR_TOKEN, OWNER_EMAIL, PUSH_ENDPOINT, give_everything
from tests.routes import every_route
from tests.clinicians.people import make_clinician, verified_client
from tests.sharing.people import give_a_share

pytestmark = pytest.mark.django_db

PUBLIC, PERSONAL, OBJECT, SECRET_LINK, CLINICIAN = "public", "personal", "object", "secret link", "clinician"

ACCESS = {
    "content:start": PUBLIC,
    "content:privacy": PUBLIC,
    "content:set_language": PUBLIC,
    "content:manifest": PUBLIC,
    "content:offline": PUBLIC,
    "accounts:begin": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_sent": PUBLIC,
    "outcomes:get_help": PUBLIC,
    "guide:index": PUBLIC,
    "guide:page": PUBLIC,
    "reminders:service_worker": PUBLIC,
    "api:api-root": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:openapi-json": PUBLIC,
    "accounts:account": PERSONAL,
    "accounts:delete": PERSONAL,
    "accounts:email": PERSONAL,
    "accounts:send_email_link": PERSONAL,
    "accounts:password_change": PERSONAL,
    "accounts:profile": PERSONAL,
    "accounts:onboarding": PERSONAL,
    "data:page": PERSONAL,
    "data:json": PERSONAL,
    "data:rounds_csv": PERSONAL,
    "data:diary_csv": PERSONAL,
    "data:summary": PERSONAL,
    "api:push_key": PERSONAL,
    "api:add_subscription": PERSONAL,
    "api:remove_subscription": PERSONAL,
    "api:list_rounds": PERSONAL,
    "api:get_timeline": PERSONAL,
    "outcomes:check_in": PERSONAL,
    "outcomes:diary": PERSONAL,
    "outcomes:leaks": PERSONAL,
    "outcomes:progress": PERSONAL,
    "training:history": PERSONAL,
    "training:player": PERSONAL,
    "training:plan": PERSONAL,
    "training:plan_choice": PERSONAL,
    "training:plan_movements": PERSONAL,
    "training:plan_numbers": PERSONAL,
    "training:satisfied": PERSONAL,
    "training:self_check": PERSONAL,
    "training:go_ahead": PERSONAL,
    "today:home": PERSONAL,
    "reminders:page": PERSONAL,
    "reminders:calendar_link": PERSONAL,
    "reminders:calendar_download": PERSONAL,
    "reminders:email": PERSONAL,
    "reminders:pause": PERSONAL,
    "reminders:quiet_add": PERSONAL,
    "reminders:quiet_remove": PERSONAL,
    "reminders:schedule": PERSONAL,
    "sharing:overview": PERSONAL,
    "sharing:share": PERSONAL,
    "sharing:enter_code": PERSONAL,
    "sharing:log": PERSONAL,
    "api:delete_round": OBJECT,  # GET and DELETE /api/rounds/<id>
    "training:round": OBJECT,
    "training:delete_round": OBJECT,
    "outcomes:delete_diary_entry": OBJECT,
    "outcomes:delete_leak": OBJECT,
    "reminders:remove_device": OBJECT,
    "reminders:snooze_upcoming": OBJECT,
    "sharing:stop": OBJECT,
    "sharing:cancel_code": OBJECT,
    "sharing:prescription": OBJECT,
    "reminders:calendar_feed": SECRET_LINK,
    "reminders:snooze_token": SECRET_LINK,  # the token is in the body
    "reminders:unsubscribe": SECRET_LINK,
    "accounts:confirm_email": SECRET_LINK,
    "accounts:password_reset_confirm": SECRET_LINK,
    # A clinician's sign-in: the steps after the password only go on a sign-in begun in this browser.
    "clinicians:login": PUBLIC,
    "clinicians:code": PUBLIC,
    "clinicians:enrol": PUBLIC,
    "clinicians:welcome": SECRET_LINK,
    "clinicians:recovery_codes": CLINICIAN,
    "clinicians:new_recovery_codes": CLINICIAN,
    "clinic:home": CLINICIAN,
    "clinic:person": CLINICIAN,
    "clinic:summary": CLINICIAN,
    "clinic:prescribe": CLINICIAN,
    "clinic:stop": CLINICIAN,
    "clinic:redeem": CLINICIAN,
    "clinic:make_code": CLINICIAN,
    "clinic:staff": CLINICIAN,
    "clinic:staff_clinician": CLINICIAN,
}

MADE_UP_TOKEN = "made-up-token-0123456789abcdefghij"
OWNERS_CLINICIAN = "Sara Fysio"  # tests/sharing/people.py: whom the owner shares with
SENT_AWAY = {301, 302, 303}


@pytest.fixture
def owner_with_months(owner):
    give_everything(owner)
    give_a_share(owner)  # a clinician, a log row, suggested numbers and a code of the owner's
    due = TrainingRound.objects.filter(profile=owner).first().started_at
    Occurrence.objects.create(profile=owner, slot=0, due_at=due, next_attempt_at=due)
    return owner


def samples(owner, token: str):
    return {
        "round_id": lambda: TrainingRound.objects.filter(profile=owner).first().id,
        "leak_id": lambda: Leak.objects.filter(profile=owner).first().id,
        "entry_id": lambda: DiaryEntry.objects.filter(profile=owner).first().id,
        "subscription_id": lambda: PushSubscription.objects.filter(profile=owner).first().id,
        "occurrence_id": lambda: Occurrence.objects.filter(profile=owner).first().id,
        "token": lambda: token,
        "step": lambda: "safety",
        "share_id": lambda: Share.objects.filter(profile=owner).first().id,
        "code_id": lambda: ShareCode.objects.filter(profile=owner).first().id,
        "prescription_id": lambda: Prescription.objects.filter(profile=owner).first().id,
        "clinician_id": lambda: Share.objects.filter(profile=owner).first().clinician_id,
    }


def owners_marks(owner) -> list[str]:
    marks = [OWNER_EMAIL, CALENDAR_TOKEN, PUSH_ENDPOINT, OWNERS_CLINICIAN]
    marks += [str(round_id) for round_id in TrainingRound.objects.filter(profile=owner).values_list("id", flat=True)]
    marks += [f"/leaks/{pk}/delete/" for pk in Leak.objects.filter(profile=owner).values_list("id", flat=True)]
    marks += [f"/diary/{pk}/delete/" for pk in DiaryEntry.objects.filter(profile=owner).values_list("id", flat=True)]
    return marks


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def what_the_owner_has(owner) -> dict[str, int]:
    return {
        "rounds": TrainingRound.objects.filter(profile=owner).count(),
        "leaks": Leak.objects.filter(profile=owner).count(),
        "diary": DiaryEntry.objects.filter(profile=owner).count(),
        "devices": PushSubscription.objects.filter(profile=owner).count(),
        "reminders": Occurrence.objects.filter(profile=owner).count(),
        "snoozed": Occurrence.objects.filter(profile=owner, snoozed=True).count(),
        "shares": Share.objects.active().filter(profile=owner).count(),
        "codes": ShareCode.objects.filter(profile=owner).count(),
        "suggestions waiting": Prescription.objects.filter(profile=owner, status="pending").count(),
    }


def test_every_route_has_a_stranger_case():
    routes = {route.name for route in every_route()}
    missing = sorted(routes - set(ACCESS))
    assert not missing, f"routes without a stranger case: add each to ACCESS in this file: {missing}"
    gone = sorted(set(ACCESS) - routes)
    assert not gone, f"ACCESS names routes that no longer exist: {gone}"


def test_a_stranger_and_a_visitor_reach_nothing_of_the_owners(owner_with_months, owner_client, stranger_client,
                                                             client):
    owner = owner_with_months
    stranger_client.get("/")
    marks = owners_marks(owner)
    before = what_the_owner_has(owner)
    failures = []
    for route in every_route():
        kind = ACCESS[route.name]
        token = MADE_UP_TOKEN
        path = route.path(samples(owner, token))
        for who, visitor in (("stranger", stranger_client), ("anonymous", client)):
            methods = ("get", "post", "delete") if kind in (OBJECT, SECRET_LINK, CLINICIAN) else ("get",)
            for method in methods:
                data = {"token": token} if route.name == "reminders:snooze_token" else {}
                response = getattr(visitor, method)(path, data=data) if method == "post" else \
                    getattr(visitor, method)(path)
                status = response.status_code
                where = f"{method.upper()} {path} as {who} ({kind}): {status}"
                if status >= 500:
                    failures.append(f"{where}: a server error")
                    continue
                # (A 404 page may repeat the path asked for: that is the visitor's own words.)
                leaked = [mark for mark in marks if mark in body_of(response) and mark not in path]
                if leaked:
                    failures.append(f"{where}: shows the owner's {leaked[0]!r}")
                if kind == OBJECT and status not in {404, 405} | (SENT_AWAY | {401} if who == "anonymous" else set()):
                    failures.append(f"{where}: the owner's row answered")
                if kind == PERSONAL and who == "anonymous" and method == "get" and status not in SENT_AWAY | {401, 405}:
                    failures.append(f"{where}: a visitor without a session was not sent away")
                if kind == CLINICIAN and status not in SENT_AWAY | {403, 405}:
                    failures.append(f"{where}: a clinician's page answered someone who is not a clinician")
    assert not failures, "\n".join(failures)
    assert what_the_owner_has(owner) == before, "a stranger or a visitor changed the owner's data"


# Person routes a clinician may open all the same, since they hold nothing of any person's.
CLINICIANS_MAY_OPEN = {
    "accounts:password_change": "their own account's password",
    "api:push_key": "the server's public push key, the same for everyone",
}


@pytest.fixture
def three_clinicians(owner_with_months):
    """The clinician the owner shares with (tests/sharing/people.py), one the owner never shared
    with, and one whose share the owner withdrew; each signed in with the second factor."""
    consenting = Share.objects.active().get(profile=owner_with_months).clinician
    without = make_clinician("nosy", name="Nils Nyfiken", clinic="Another clinic")
    withdrawn = make_clinician("former", name="Frida Förr", clinic="Bäckenkliniken")
    access.stop_share(access.start_share(owner_with_months, withdrawn, [Scope.ROUNDS.value, Scope.PLAN.value]),
                      by="person")
    return {"with consent": consenting, "without consent": without, "consent withdrawn": withdrawn}


def test_a_clinician_reaches_the_owner_only_with_consent_and_only_on_clinic_pages(owner_with_months,
                                                                                  three_clinicians):
    owner = owner_with_months
    share = Share.objects.active().get(profile=owner)
    person_link = f"/clinic/people/{share.pk}/"
    marks = owners_marks(owner) + [person_link]
    before = what_the_owner_has(owner)
    logged_before = set(AccessLog.objects.filter(profile=owner).values_list("id", flat=True))
    browsers = {who: verified_client(clinician.user) for who, clinician in three_clinicians.items()}
    failures = []
    for route in every_route():
        kind = ACCESS[route.name]
        path = route.path(samples(owner, MADE_UP_TOKEN))
        for who, browser in browsers.items():
            consenting = who == "with consent"
            # The consenting clinician only reads: a POST of theirs would really stop the share.
            methods = ("get",) if consenting else ("get", "post", "delete")
            for method in methods:
                response = getattr(browser, method)(path)
                status = response.status_code
                where = f"{method.upper()} {path} as the clinician {who} ({kind}): {status}"
                if status >= 500:
                    failures.append(f"{where}: a server error")
                    continue
                # The consenting clinician sees the owner's data on the clinic's pages, but never
                # the owner's username (the consent screen promises that it is not shared).
                shown = [owner.user.username] if consenting and kind == CLINICIAN else marks
                leaked = [mark for mark in shown if mark in body_of(response) and mark not in path]
                if leaked:
                    failures.append(f"{where}: shows the owner's {leaked[0]!r}")
                refused = SENT_AWAY | {401, 403, 404, 405, 409} | ({400} if path.startswith("/api/") else set())
                if kind in (PERSONAL, OBJECT) and route.name not in CLINICIANS_MAY_OPEN and status not in refused:
                    failures.append(f"{where}: a person's page answered a clinician")
                if kind == CLINICIAN and "share_id" in route.parts:
                    expected = ({200, 405} if consenting else {404, 405})
                    if status not in expected:
                        failures.append(f"{where}: expected one of {sorted(expected)}")
    assert not failures, "\n".join(failures)
    assert what_the_owner_has(owner) == before, "a clinician changed the owner's data"
    new_rows = AccessLog.objects.filter(profile=owner).exclude(id__in=logged_before)
    assert new_rows.exists() and set(new_rows.values_list("clinician", flat=True)) == {share.clinician_id}, \
        "only the consenting clinician's reads are logged, and they are"


def test_the_owner_reaches_their_own_rows_by_every_object_route(owner_with_months, owner_client):
    owner = owner_with_months
    for route in every_route():
        if ACCESS[route.name] == OBJECT:
            path = route.path(samples(owner, MADE_UP_TOKEN))
            response = owner_client.get(path)
            # A page (200), or a route that only takes POST (405): never 404 for the owner's own row.
            assert response.status_code in {200, 405}, f"GET {path} as the owner: {response.status_code}"
