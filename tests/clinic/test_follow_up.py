"""The clinician's follow-up list and a person's page (issue 16): only people with an active share
with this clinician, those who need attention first, only what each share covers, an access-log
row for every read, and nothing at all once the share is withdrawn."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from knipa.outcomes.models import CheckIn, DiaryEntry
from knipa.sharing import access
from knipa.sharing.models import Access, AccessLog, Scope
from knipa.training import plans
from tests.clinicians.people import make_clinician, verified_client
from tests.conftest import make_person
from tests.training.plan_seeding import follow_the_plan

pytestmark = pytest.mark.django_db

EVERYTHING = [scope.value for scope in Scope]


def person_sharing(clinician, username: str, scopes=EVERYTHING, **answers):
    person = make_person(username, **answers)
    plans.refresh(person)
    return person, access.start_share(person, clinician, scopes)


def shares_in_order(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<th scope="row"><a href="/clinic/people/(\d+)/">', html)]


def test_the_follow_up_list_puts_those_who_need_attention_first():
    clinician = make_clinician()
    weeks_ago = timezone.now() - timedelta(weeks=2)
    steady, steady_share = person_sharing(clinician, "steady", onboarded_at=weeks_ago)
    follow_the_plan(steady, weeks=2)
    _quiet, quiet_share = person_sharing(clinician, "quiet", onboarded_at=weeks_ago)  # no round at all
    _aching, aching_share = person_sharing(clinician, "aching", pain=True, onboarded_at=weeks_ago)  # S1
    avoiding, avoiding_share = person_sharing(clinician, "avoiding", onboarded_at=weeks_ago)
    follow_the_plan(avoiding, weeks=2)
    # V1: the check-in says the symptoms keep them from things: advised to seek care.
    CheckIn.objects.create(profile=avoiding, at=timezone.now(), frequency=2, amount=2, bother=5, confidence=6,
                           avoids_activity=True)

    html = verified_client(clinician.user).get("/clinic/").content.decode()

    assert shares_in_order(html) == [avoiding_share.pk, aching_share.pk, quiet_share.pk, steady_share.pk]
    rows = html.split('data-testid="follow-up-row"')[1:]
    assert "Advised to seek care" in rows[0]
    assert "Pain reported" in rows[1]
    assert "No round for a week" in rows[2] and "Trains less than the plan" in rows[2]
    assert "<ul class=\"attention\">" not in rows[3]
    assert re.search(r"\b(9\d|100) %", rows[3])  # followed the plan: adherence near all of it
    page = verified_client(clinician.user).get(f"/clinic/people/{avoiding_share.pk}/").content.decode()
    assert "Avoids activity, friends or sex because of the symptoms (V1)" in page


def test_the_list_shows_only_this_clinicians_active_shares():
    clinician = make_clinician()
    other = make_clinician("other", clinic="Another clinic")
    _mine, mine = person_sharing(clinician, "mine")
    person_sharing(other, "theirs")
    _gone, share = person_sharing(clinician, "withdrawn")
    access.stop_share(share, by="person")
    html = verified_client(clinician.user).get("/clinic/").content.decode()
    assert shares_in_order(html) == [mine.pk]


def test_a_person_is_never_shown_by_their_username():
    # The consent screen promises it is not shared: it is half of the person's login.
    clinician = make_clinician()
    _person, share = person_sharing(clinician, "secret-login-name")
    browser = verified_client(clinician.user)
    for path in ("/clinic/", f"/clinic/people/{share.pk}/", f"/clinic/people/{share.pk}/summary/"):
        html = browser.get(path).content.decode()
        assert "secret-login-name" not in html and f"Person {share.pk}" in html, path


def test_a_scope_that_is_not_shared_shows_as_not_shared_and_nothing_of_it():
    clinician = make_clinician()
    person, share = person_sharing(clinician, "rounds_only", scopes=[Scope.ROUNDS.value])
    CheckIn.objects.create(profile=person, at=timezone.now(), frequency=3, amount=3, bother=9, confidence=1,
                           improvement=6)
    DiaryEntry.objects.create(profile=person, at=timezone.now() - timedelta(hours=2), kind="void", volume_ml=777)
    browser = verified_client(clinician.user)

    row = browser.get("/clinic/").content.decode().split('data-testid="follow-up-row"')[1]
    assert row.count("not shared") == 3  # stage, leakage index, PGI-I; the rounds are shared
    page = browser.get(f"/clinic/people/{share.pk}/").content.decode()
    assert "Check-ins and the leak log are not shared with you." in page
    assert "The bladder diary is not shared with you." in page
    assert "The plan and its history are not shared with you." in page
    assert 'data-testid="latest-check-in"' not in page and "777" not in page
    assert 'id="chart-index-title"' not in page and 'id="chart-days-title"' in page
    assert "To suggest numbers, the person needs to share their plan with you." in page
    summary = browser.get(f"/clinic/people/{share.pk}/summary/").content.decode()
    assert 'data-testid="summary-check-ins"' not in summary and 'data-testid="summary-stage"' not in summary
    assert 'data-testid="summary-weeks"' in summary


def test_everything_shared_is_on_the_persons_page():
    clinician = make_clinician()
    person, share = person_sharing(clinician, "open_book")
    follow_the_plan(person, weeks=1)
    CheckIn.objects.create(profile=person, at=timezone.now(), frequency=2, amount=1, bother=4, confidence=7)
    DiaryEntry.objects.create(profile=person, at=timezone.now() - timedelta(hours=2), kind="void", volume_ml=333)
    browser = verified_client(clinician.user)
    page = browser.get(f"/clinic/people/{share.pk}/").content.decode()
    for mark in ('data-testid="latest-check-in"', 'data-testid="diary-summary"', 'data-testid="plan-changes"',
                 'data-testid="recent-rounds"', 'id="chart-index-title"', 'id="chart-hold-title"',
                 'name="strength_hold_seconds"'):
        assert mark in page, mark
    # The answers about their body are never shared, not even in the printable summary.
    summary = browser.get(f"/clinic/people/{share.pk}/summary/").content.decode()
    assert 'data-testid="summary-stage"' in summary and 'data-testid="summary-check-ins"' in summary
    assert "I leak urine" not in page + summary and "Pregnant" not in page + summary


def test_every_read_writes_an_access_log_row():
    clinician = make_clinician()
    person, share = person_sharing(clinician, "logged", scopes=[Scope.ROUNDS.value, Scope.DIARY.value])
    browser = verified_client(clinician.user)
    before = AccessLog.objects.filter(profile=person).count()  # share_started

    browser.get("/clinic/")
    browser.get(f"/clinic/people/{share.pk}/")
    browser.get(f"/clinic/people/{share.pk}/summary/")

    logged = list(AccessLog.objects.filter(profile=person).order_by("id").values_list("what", flat=True))[before:]
    assert logged == [Access.FOLLOW_UP_LIST, Access.ROUNDS, Access.DIARY, Access.SUMMARY]
    row = AccessLog.objects.filter(profile=person).first()
    assert row.clinician == clinician and row.clinician_name == clinician.display_name
    assert row.clinic_name == clinician.clinic.name and row.share == share


def test_a_withdrawn_share_gives_nothing_at_once_and_is_not_logged():
    clinician = make_clinician()
    person, share = person_sharing(clinician, "leaving")
    browser = verified_client(clinician.user)
    assert browser.get(f"/clinic/people/{share.pk}/").status_code == 200

    access.stop_share(share, by="person")
    logged = AccessLog.objects.filter(profile=person).count()

    assert browser.get(f"/clinic/people/{share.pk}/").status_code == 404
    assert browser.get(f"/clinic/people/{share.pk}/summary/").status_code == 404
    assert browser.post(f"/clinic/people/{share.pk}/prescribe/", {"stage": "training"}).status_code == 404
    assert f"/clinic/people/{share.pk}/" not in browser.get("/clinic/").content.decode()
    assert AccessLog.objects.filter(profile=person).count() == logged


def test_another_clinicians_share_is_a_404_and_the_same_as_none():
    clinician = make_clinician()
    other = make_clinician("other", clinic="Another clinic")
    _person, share = person_sharing(other, "theirs")
    browser = verified_client(clinician.user)
    assert browser.get(f"/clinic/people/{share.pk}/").status_code == 404
    assert browser.get(f"/clinic/people/{share.pk + 1000}/").status_code == 404
    assert not AccessLog.objects.filter(clinician=clinician).exists()


def test_a_deactivated_clinician_sees_nothing_of_a_share_still_active():
    clinician = make_clinician()
    _person, share = person_sharing(clinician, "kept")
    browser = verified_client(clinician.user)
    clinician.active = False
    clinician.save(update_fields=["active"])
    assert browser.get(f"/clinic/people/{share.pk}/").status_code in {302, 403, 404}
    assert browser.get("/clinic/").status_code in {302, 403}


def test_clinic_pages_are_never_kept_by_any_cache():
    clinician = make_clinician()
    _person, share = person_sharing(clinician, "private")
    response = verified_client(clinician.user).get(f"/clinic/people/{share.pk}/")
    assert "no-store" in response["Cache-Control"]
    assert not hasattr(response, "knipa_keep")
