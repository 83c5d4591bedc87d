"""Owning the data: the JSON export and its import into a new account, the CSV files and the
printable summary; refusals change nothing, and a stranger gets none of the owner's data."""

from __future__ import annotations

import copy
import csv
import io
import json
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from knipa.personal_data import export
from knipa.personal_data.export import (
    ImportRefused,
    export_json,
    export_person,
    import_person,
)
from knipa.accounts.models import Profile
from knipa.outcomes.models import CheckIn, DiaryEntry, Leak
from knipa.reminders.models import PushSubscription, ReminderSettings
from knipa.training import plans
from knipa.training.models import ExerciseRecord, Plan, PlanChange, TrainingRound
from tests.conftest import make_person
from tests.training.plan_seeding import follow_the_plan

pytestmark = pytest.mark.django_db

DATA = reverse("data:page")
JSON_URL = reverse("data:json")
ROUNDS_CSV = reverse("data:rounds_csv")
DIARY_CSV = reverse("data:diary_csv")
SUMMARY = reverse("data:summary")
CALENDAR_TOKEN = "owners-calendar-secret-4f9a"
PUSH_ENDPOINT = "https://push.example.org/owners-browser"
OWNER_EMAIL = "owner.reminders@example.org"


def at(days_ago: float, hour: int = 9) -> datetime:
    moment = timezone.now() - timedelta(days=days_ago)
    return moment.replace(hour=hour, minute=15, second=0, microsecond=0)


def give_everything(owner: Profile) -> Profile:
    """Two weeks of training, a choice of their own, reminders, check-ins, leaks and a diary."""
    follow_the_plan(owner, weeks=2)
    plans.choose_movements(owner, ["walk", "jump"])
    stopped = TrainingRound.objects.create(
        profile=owner, stage="training", position="sitting", status="stopped_for_pain", effort="too_hard",
        started_at=at(1, 20), ended_at=at(1, 20) + timedelta(seconds=95))
    ExerciseRecord.objects.create(training_round=stopped, order=0, exercise="E1", planned_reps=8, achieved_reps=3,
                                  planned_squeeze_seconds=4.5, planned_rest_seconds=6, full_strength_reps=2,
                                  felt_lift="unsure", pain=True)
    TrainingRound.objects.create(profile=owner, stage="training", position="lying", status="stopped",
                                 started_at=at(0.5, 6), ended_at=at(0.5, 6) + timedelta(seconds=20))
    ReminderSettings.objects.create(
        profile=owner, times=["07:30", "19:00"], weekdays=[0, 2, 4, 6], quiet_dates=[(timezone.now().date() + timedelta(days=200)).isoformat()], paused=True,
        by_push=True, by_email=True, calendar_token=CALENDAR_TOKEN)
    owner.user.email = OWNER_EMAIL  # the account's address (knipa.accounts.emails), not yet confirmed
    owner.user.save(update_fields=["email"])
    PushSubscription.objects.create(profile=owner, endpoint=PUSH_ENDPOINT, p256dh="key", auth="auth")
    CheckIn.objects.create(profile=owner, at=at(30), frequency=3, amount=2, bother=7, confidence=4,
                           avoids_friends=True)
    CheckIn.objects.create(profile=owner, at=at(2), frequency=2, amount=1, bother=3, confidence=8, improvement=2,
                           avoids_activity=True)
    same_moment = at(3, 11)
    for situation, amount in [("sneeze", "drops"), ("lift", "more"), ("urge", "splash")]:
        Leak.objects.create(profile=owner, at=same_moment, situation=situation, amount=amount)
    DiaryEntry.objects.create(profile=owner, at=at(1, 7), kind="drink", drink="coffee_tea", volume_ml=250)
    DiaryEntry.objects.create(profile=owner, at=at(1, 8), kind="void", volume_ml=310, urgency=2)
    DiaryEntry.objects.create(profile=owner, at=at(1, 3), kind="void", volume_ml=200, urgency=1, woke_me=True)
    DiaryEntry.objects.create(profile=owner, at=at(1, 12), kind="leak", urgency=3)
    DiaryEntry.objects.create(profile=owner, at=at(1, 13), kind="pad")
    return owner


@pytest.fixture
def owner_with_everything(owner) -> Profile:
    return give_everything(owner)


@pytest.fixture
def newcomer() -> Profile:
    """A new account: onboarded with other answers, and the fresh plan begun when onboarding ended."""
    person = make_person("newcomer", body="vagina", goals=["prevent"], time_zone="Asia/Kathmandu", language="en")
    plans.refresh(person)
    return person


def without_round_ids(data: dict) -> dict:
    data = copy.deepcopy(data)
    del data["exported_at"]
    for training_round in data["rounds"]:
        del training_round["id"]
    return data


def test_an_export_imported_into_a_new_account_exports_the_same_again(owner_with_everything, newcomer):
    exported = json.loads(export_json(owner_with_everything))
    assert len(exported["rounds"]) > 20 and len(exported["plan_changes"]) > 2

    import_person(newcomer, exported)

    again = export_person(Profile.objects.get(pk=newcomer.pk))
    assert without_round_ids(again) == without_round_ids(exported)
    # The owner's rounds are still in the database, so every round came across under a new id.
    assert not {r["id"] for r in again["rounds"]} & {r["id"] for r in exported["rounds"]}
    assert TrainingRound.objects.filter(profile=owner_with_everything).count() == len(exported["rounds"])


def test_after_import_the_home_page_shows_the_restored_stage(owner_with_everything, newcomer, client_factory):
    stage = plans.current_plan(owner_with_everything).current_stage
    import_person(newcomer, export_person(owner_with_everything))
    html = client_factory(newcomer.user).get(reverse("today:home")).content.decode()
    assert f'path-badge--{stage.value}" data-testid="stage"' in html


def test_round_ids_nobody_uses_are_kept(owner_with_everything, newcomer):
    exported = export_person(owner_with_everything)
    owner_with_everything.user.delete()
    import_person(newcomer, exported)
    again = export_person(Profile.objects.get(pk=newcomer.pk))
    assert {**again, "exported_at": None} == {**exported, "exported_at": None}


def test_the_export_says_what_it_is_and_holds_nothing_that_identifies_the_account(owner_with_everything):
    text = export_json(owner_with_everything)
    data = json.loads(text)
    assert (data["format"], data["version"]) == ("knipa-export", 1)
    assert set(data) == {"format", "version", "exported_at", "profile", "plan", "plan_changes", "rounds",
                         "reminders", "check_ins", "leaks", "diary", "shares", "access_log", "prescriptions"}
    assert set(data["profile"]) == {"language", "body", "goals", "pain", "recent_event", "event_on", "go_ahead",
                                    "pregnant", "time_zone", "onboarded_at"}
    assert set(data["reminders"]) == {"times", "weekdays", "quiet_dates", "paused", "by_email", "email"}
    user = owner_with_everything.user
    for secret in (user.password, CALENDAR_TOKEN, PUSH_ENDPOINT, '"username"', '"user"', '"password"'):
        assert secret not in text
    # Instants carry the person's own offset (Chatham: +12:45 or +13:45).
    assert data["leaks"][0]["at"].endswith(("+12:45", "+13:45"))
    assert datetime.fromisoformat(data["leaks"][0]["at"]) == Leak.objects.filter(profile=owner_with_everything).first().at


def test_the_import_keeps_this_browsers_push_and_calendar_and_plans_reminders_afresh(owner_with_everything, newcomer):
    ReminderSettings.objects.create(profile=newcomer, by_push=True, calendar_token="newcomers-own",
                                    planned_until=timezone.now() + timedelta(hours=30))
    import_person(newcomer, export_person(owner_with_everything))
    settings = ReminderSettings.objects.get(profile=newcomer)
    assert (settings.times, settings.paused) == (["07:30", "19:00"], True)
    newcomer.refresh_from_db()
    # The address comes along to the new account, unconfirmed: nothing is mailed until its owner confirms.
    assert newcomer.user.email == OWNER_EMAIL and not newcomer.email_confirmed
    assert settings.by_push and settings.calendar_token == "newcomers-own" and settings.planned_until is None
    assert not PushSubscription.objects.filter(profile=newcomer).exists()


# --- Refusals: a clear message, and nothing written --------------------------------------------


def snapshot(profile: Profile) -> dict:
    profile = Profile.objects.get(pk=profile.pk)
    return {
        "profile": (profile.body, profile.goals, profile.time_zone, profile.language),
        # reviewed_at aside: an import marks the plan reviewed, so the worker leaves it alone meanwhile.
        "plan": list(Plan.objects.filter(profile=profile).values(*(field.attname for field in Plan._meta.concrete_fields
                                                                    if field.name != "reviewed_at"))),
        "changes": list(PlanChange.objects.filter(profile=profile).values()),
        "rounds": TrainingRound.objects.filter(profile=profile).count(),
        "records": ExerciseRecord.objects.filter(training_round__profile=profile).count(),
        "reminders": list(ReminderSettings.objects.filter(profile=profile).values()),
        "check_ins": CheckIn.objects.filter(profile=profile).count(),
        "leaks": Leak.objects.filter(profile=profile).count(),
        "diary": DiaryEntry.objects.filter(profile=profile).count(),
    }


def refusal(profile: Profile, data) -> str:
    before = snapshot(profile)
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        import_person(profile, data)
    assert snapshot(profile) == before
    return refused.value.message


def spoiled(data: dict, change) -> dict:
    data = copy.deepcopy(data)
    change(data)
    return data


@pytest.fixture(scope="module")
def exported_once(django_db_setup, django_db_blocker) -> dict:
    """One export of the owner's everything, made once for the refusal tests (which spoil copies)."""
    with django_db_blocker.unblock(), transaction.atomic():
        owner = make_person("owner", body="penis", goals=["cough", "prolapse"], time_zone="Pacific/Chatham")
        exported = json.loads(export_json(give_everything(owner)))
        transaction.set_rollback(True)
    return exported


@pytest.fixture
def exported(exported_once) -> dict:
    return copy.deepcopy(exported_once)


def test_a_file_that_is_not_a_knipa_export_is_refused(newcomer):
    for foreign in ({"name": "something else"}, [1, 2, 3], "knipa-export", {"format": "other", "version": 1}):
        assert "not a Knipa export" in refusal(newcomer, foreign)


def test_an_export_of_another_version_is_refused(newcomer, exported):
    message = refusal(newcomer, spoiled(exported, lambda d: d.update(version=2)))
    assert "cannot read (version 2)" in message


@pytest.mark.parametrize(("change", "place"), [
    (lambda d: d["rounds"][5]["exercises"][0].update(felt_lift="maybe"), "rounds 6, exercises 1, felt_lift"),
    (lambda d: d["rounds"][3].update(status="abandoned"), "rounds 4, status"),
    (lambda d: d["rounds"][0].update(started_at="2026-01-05T08:00:00"), "rounds 1, started_at"),
    (lambda d: d["rounds"][0].update(ended_at="2001-01-01T00:00:00+00:00"), "rounds 1"),
    (lambda d: d["rounds"][1].update(id=d["rounds"][0]["id"]), "the whole file"),
    (lambda d: d["check_ins"][1].update(bother=11), "check_ins 2, bother"),
    (lambda d: d["check_ins"][0].update(frequency=True), "check_ins 1, frequency"),
    (lambda d: d["leaks"][2].update(situation="dancing"), "leaks 3, situation"),
    (lambda d: d["diary"][0].update(volume_ml="250"), "diary 1, volume_ml"),
    (lambda d: d["plan"].update(strength_rest_seconds=2, strength_hold_seconds=6), "plan"),
    (lambda d: d["plan"].update(strength_reps=99), "plan"),
    (lambda d: d["plan_changes"][0].update(source="neighbour"), "plan_changes 1, source"),
    (lambda d: d["profile"].update(time_zone="Mars/Olympus_Mons"), "profile, time_zone"),
    (lambda d: d["reminders"].update(times=["25:00"]), "reminders, times 1"),
    (lambda d: d["reminders"].update(email="not an address"), "reminders, email"),
    (lambda d: d.update(surprise=True), "surprise"),
    (lambda d: d.pop("diary"), "diary"),
])
def test_a_bad_value_anywhere_refuses_the_whole_file_and_says_where(newcomer, exported, change, place):
    message = refusal(newcomer, spoiled(exported, change))
    assert "a value in it is not valid" in message and f"(at {place})" in message, message
    assert "Nothing was changed" in message


def test_an_account_with_training_data_of_its_own_takes_no_import(newcomer, exported):
    Leak.objects.create(profile=newcomer, at=timezone.now(), situation="cough")
    assert "Import only works into a new account, so nothing is mixed or lost" in refusal(newcomer, exported)


def test_a_failure_while_writing_leaves_nothing_behind(newcomer, exported, monkeypatch):
    def reminders_unavailable(*args, **kwargs):
        raise RuntimeError("the database went away")

    # The last step of the import fails: everything written before it must be rolled back.
    monkeypatch.setattr(export, "replan", reminders_unavailable)
    before = snapshot(newcomer)
    with pytest.raises(RuntimeError):
        import_person(newcomer, exported)
    assert snapshot(newcomer) == before


# --- Through the pages ------------------------------------------------------------------------


def upload(client, content: bytes, name: str = "knipa-export.json"):
    client.cookies["knipa_language"] = "en"
    return client.post(DATA, {"file": SimpleUploadedFile(name, content, content_type="application/json")})


def test_the_data_page_is_linked_from_the_account_page_and_offers_everything(owner_client):
    assert f'href="{DATA}"' in owner_client.get(reverse("accounts:account")).content.decode()
    html = owner_client.get(DATA).content.decode()
    for url in (JSON_URL, ROUNDS_CSV, DIARY_CSV, SUMMARY):
        assert f'"{url}"' in html
    assert f'action="{DATA}" enctype="multipart/form-data"' in html and 'name="file"' in html


def test_an_uploaded_export_is_imported_and_the_person_lands_on_the_data_page(exported, newcomer, client_factory):
    client = client_factory(newcomer.user)
    response = upload(client, json.dumps(exported).encode())
    assert response.status_code == 302 and response["Location"] == DATA
    page = client.get(DATA)
    assert "Your data is imported" in page.content.decode()
    assert TrainingRound.objects.filter(profile=newcomer).count() == len(exported["rounds"])
    # The restored language (the owner's Swedish) is this browser's from now on.
    assert response.cookies["knipa_language"].value == "sv"


@pytest.mark.parametrize(("content", "expected"), [
    (b"this is not json {", "it does not contain JSON"),
    ("{\"format\": \"knipa-export\", \"version\": 1, \"profile\": \"\xe5\xe4\xf6\"}".encode("latin-1"),
     "it does not contain JSON"),
    (b'{"format": "something-else"}', "This file is not a Knipa export"),
    (b"\x00" * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
])
def test_an_uploaded_file_that_is_not_an_export_is_refused_on_the_page(newcomer, client_factory, content, expected):
    client = client_factory(newcomer.user)
    before = snapshot(newcomer)
    response = upload(client, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html and 'aria-invalid="true"' in html
    assert snapshot(newcomer) == before


def test_an_export_with_a_null_character_in_a_text_is_refused_before_anything_is_written(
        exported, newcomer, client_factory):
    # PostgreSQL keeps no U+0000 in text: without this check the import would end in a 500 there.
    client = client_factory(newcomer.user)
    before = snapshot(newcomer)
    exported["profile"]["time_zone"] = "Europe/Stockholm\u0000"
    response = upload(client, json.dumps(exported).encode())
    assert response.status_code == 200
    assert "This file contains a null character" in response.content.decode()
    assert snapshot(newcomer) == before


def test_importing_without_choosing_a_file_asks_for_one(newcomer, client_factory):
    client = client_factory(newcomer.user)
    client.cookies["knipa_language"] = "en"
    response = client.post(DATA, {})
    assert response.status_code == 200 and "Choose the file to import." in response.content.decode()


def test_the_data_page_says_when_this_account_cannot_take_an_import(owner_with_everything, owner_client):
    owner_client.cookies["knipa_language"] = "en"
    assert "so an import cannot go here" in owner_client.get(DATA).content.decode()


# --- CSV --------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark to read UTF-8"
    text = response.content.decode("utf-8-sig")
    # Swedish files are separated by semicolons (decimal commas), English ones by commas.
    return list(csv.reader(io.StringIO(text), delimiter=";" if "\r\n" in text and ";" in text.split("\r\n")[0]
                           else ","))


def test_the_rounds_csv_speaks_the_persons_language_with_swedish_letters_intact(owner_with_everything, owner_client):
    header = read_csv(owner_client.get(ROUNDS_CSV))[0]
    assert "Träning" in header  # Swedish, the default language


def test_the_rounds_csv_has_a_row_for_every_exercise_in_local_time(owner_with_everything, owner_client):
    owner_client.cookies["knipa_language"] = "en"
    rows = read_csv(owner_client.get(ROUNDS_CSV))
    header, body = rows[0], rows[1:]
    records = ExerciseRecord.objects.filter(training_round__profile=owner_with_everything).count()
    empty_rounds = TrainingRound.objects.filter(profile=owner_with_everything, exercises__isnull=True).count()
    assert empty_rounds == 1 and len(body) == records + empty_rounds
    assert all(len(row) == len(header) for row in body)
    stopped = TrainingRound.objects.get(profile=owner_with_everything, status="stopped_for_pain")
    (row,) = [row for row in body if row[-1] == str(stopped.id)]
    local = stopped.started_at.astimezone(owner_with_everything.zone)
    assert row[:4] == [local.date().isoformat(), local.strftime("%H:%M:%S"),
                       (local + timedelta(seconds=95)).strftime("%H:%M:%S"), "Pacific/Chatham"]
    column = dict(zip(header, row, strict=True))
    assert (column["Training"], column["Outcome"], column["How it felt"]) == (
        "Strength, speed and endurance", "Stopped because of pain", "Too hard")
    assert (column["Exercise"], column["Squeezes done"], column["Seconds to squeeze"], column["Felt the lift"],
            column["Pain"]) == ("Strength", "3", "4.5", "Unsure", "Yes")


def test_the_diary_csv_has_every_line_in_local_time(owner_with_everything, owner_client):
    owner_client.cookies["knipa_language"] = "en"
    rows = read_csv(owner_client.get(DIARY_CSV))
    header, body = rows[0], rows[1:]
    assert header == ["Date", "Time", "Time zone", "What", "Drink", "Amount in millilitres", "Urge (0–3)",
                      "It woke me up"]
    entries = list(DiaryEntry.objects.filter(profile=owner_with_everything).order_by("at", "id"))
    assert len(body) == len(entries)
    zone = owner_with_everything.zone
    for row, entry in zip(body, entries, strict=True):
        assert row[:3] == [entry.at.astimezone(zone).date().isoformat(), entry.at.astimezone(zone).strftime("%H:%M"),
                           "Pacific/Chatham"]
    drink = body[[e.kind for e in entries].index("drink")]
    assert drink[3:6] == ["Drink", "Coffee or tea", "250"]
    night = body[[e.woke_me for e in entries].index(True)]
    assert night[6:] == ["1", "Yes"]


# --- The printable summary --------------------------------------------------------------------


def test_the_summary_shows_plan_check_ins_weeks_diary_advice_and_the_care_line(owner_with_everything, owner_client):
    owner_client.cookies["knipa_language"] = "en"
    response = owner_client.get(SUMMARY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "I have a long-lasting cough or COPD" in html  # why they train
    stage = plans.current_plan(owner_with_everything).current_stage
    from knipa.training.plan_texts import stage_name

    with translation.override("en"):
        assert f'data-testid="summary-stage">{stage_name(stage)}<' in html
    assert html.count("<tr>") >= 8 + 5  # the plan's numbers and the check-in rows
    assert "First (" in html and "Latest (" in html and "Much better" in html
    assert 'data-testid="diary-summary"' in html
    assert 'data-testid="care-advice"' in html  # the latest check-in says they avoid activity (V1)
    assert "Call 1177" in html
    assert 'src="/static/knipa/js/print' in html and "data-print hidden" in html
    assert "<script>" not in html and "style=" not in html


def test_the_summary_of_someone_without_notes_still_renders(owner_client):
    response = owner_client.get(SUMMARY)
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="summary"' in html
    assert "1177" in html and 'data-testid="care-advice"' not in html  # the care line, without advice


# --- Ownership --------------------------------------------------------------------------------


def test_a_strangers_downloads_hold_none_of_the_owners_data(owner_with_everything, stranger_client):
    text = stranger_client.get(JSON_URL).content.decode()
    data = json.loads(text)
    assert data["profile"]["time_zone"] == "America/Lima"
    assert data["rounds"] == data["check_ins"] == data["leaks"] == data["diary"] == []
    for mark in ("Pacific/Chatham", OWNER_EMAIL, "cough", "sneeze"):
        assert mark not in text
    assert len(read_csv(stranger_client.get(ROUNDS_CSV))) == 1
    assert len(read_csv(stranger_client.get(DIARY_CSV))) == 1
    summary = stranger_client.get(SUMMARY).content.decode()
    assert "COPD" not in summary and 'data-testid="summary-check-ins"' not in summary


@pytest.mark.parametrize("path", [DATA, JSON_URL, ROUNDS_CSV, DIARY_CSV, SUMMARY])
def test_an_anonymous_visitor_is_sent_to_the_login(client, owner, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].split("?")[0] == reverse("accounts:login")


def test_an_anonymous_upload_imports_nothing(client, exported):
    count = TrainingRound.objects.count()
    response = client.post(DATA, {"file": SimpleUploadedFile("x.json", json.dumps(exported).encode())})
    assert response.status_code == 302 and TrainingRound.objects.count() == count


def test_downloads_are_not_cached(owner_client):
    for path in (JSON_URL, ROUNDS_CSV, DIARY_CSV, SUMMARY):
        assert "no-store" in owner_client.get(path)["Cache-Control"]
