"""What reminders hand out or accept from outside stays the person's own: a browser's push
subscription cannot be taken over or removed by someone else, a notification's snooze button
carries nothing but a random secret that works once, and the calendar feed's event ids reveal
nothing and change with the feed's address (security review, issue 13, items 6-8)."""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse

from knipa.accounts.models import Profile
from knipa.reminders.dispatcher import snooze_token
from knipa.reminders.models import Occurrence, PushSubscription, ReminderSettings

pytestmark = pytest.mark.django_db

SUBSCRIPTION = {"endpoint": "https://fcm.googleapis.com/fcm/send/owners-browser",
                "keys": {"p256dh": "B" + "a" * 86, "auth": "c" * 22}, "label": "Chrome, Android"}
OTHER_KEYS = {"p256dh": "B" + "z" * 86, "auth": "y" * 22}


def english(client):
    client.cookies["knipa_language"] = "en"
    return client


def subscribe(client, **changes):
    return client.post("/api/push/subscriptions", {**SUBSCRIPTION, **changes}, content_type="application/json")


# --- Push subscriptions ------------------------------------------------------------------------

def test_a_stranger_posting_the_owners_endpoint_is_refused_and_the_owner_keeps_it(
        owner_client, owner, stranger_client, stranger):
    assert subscribe(owner_client).status_code == 201
    before = PushSubscription.objects.get(endpoint=SUBSCRIPTION["endpoint"])

    response = subscribe(english(stranger_client), keys=OTHER_KEYS, label="Attacker")

    assert response.status_code == 409
    assert response.json() == {"detail": "These notifications already belong to someone else. Nothing was changed."}
    after = PushSubscription.objects.get(endpoint=SUBSCRIPTION["endpoint"])
    assert (after.pk, after.profile_id, after.p256dh, after.auth, after.label) == (
        before.pk, owner.pk, before.p256dh, before.auth, "Chrome, Android")
    assert not PushSubscription.objects.filter(profile=stranger).exists()
    # Nor did the refused post turn notifications on for the stranger.
    assert not ReminderSettings.objects.filter(profile=stranger, by_push=True).exists()


def test_the_refusal_is_in_swedish_by_default(owner_client, stranger_client):
    subscribe(owner_client)
    response = subscribe(stranger_client, keys=OTHER_KEYS)
    assert response.status_code == 409
    assert response.json()["detail"] == "De här notiserna hör redan till någon annan. Inget har ändrats."


def test_the_same_person_posting_their_endpoint_again_with_new_keys_updates_it(owner_client, owner):
    first = subscribe(owner_client)
    # The browser renewed its subscription: same endpoint, new keys.
    again = subscribe(owner_client, keys=OTHER_KEYS, label="Chrome, Android 15")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    subscription = PushSubscription.objects.get(profile=owner)
    assert (subscription.p256dh, subscription.auth, subscription.label) == (
        OTHER_KEYS["p256dh"], OTHER_KEYS["auth"], "Chrome, Android 15")


def test_a_stranger_removing_the_owners_endpoint_removes_nothing(owner_client, owner, stranger_client, stranger):
    subscribe(owner_client)
    subscribe(stranger_client, endpoint="https://fcm.googleapis.com/fcm/send/strangers-browser")
    response = stranger_client.post("/api/push/subscriptions/remove", {"endpoint": SUBSCRIPTION["endpoint"]},
                                    content_type="application/json")
    assert response.status_code == 204  # says nothing about whether the endpoint exists
    assert PushSubscription.objects.filter(profile=owner, endpoint=SUBSCRIPTION["endpoint"]).exists()
    assert ReminderSettings.objects.get(profile=owner).by_push
    # The stranger's own browser is untouched too: only the endpoint named is ever removed.
    assert PushSubscription.objects.filter(profile=stranger).count() == 1


def test_the_api_docs_declare_the_refusal(client):
    docs = client.get("/api/openapi.json").json()
    responses = docs["paths"]["/api/push/subscriptions"]["post"]["responses"]
    assert {"200", "201", "409"} <= set(responses)
    name = responses["409"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(docs["components"]["schemas"][name]["properties"]) == {"detail"}  # the API's error shape


# --- Snoozing by a notification's button --------------------------------------------------------

def sent_reminder(profile: Profile, due: datetime, **fields) -> Occurrence:
    return Occurrence.objects.create(profile=profile, slot=0, due_at=due, next_attempt_at=due,
                                     status=Occurrence.Status.SENT, **fields)


def decodings(token: str):
    """Every text the token, or a part of it, decodes to as base64 (and then zlib) data."""
    for part in [token, *re.split(r"[:.]", token)]:
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            continue
        for data in (raw, *_inflated(raw)):
            try:
                yield data.decode("utf-8")
            except UnicodeDecodeError:
                pass


def _inflated(raw: bytes):
    try:
        yield zlib.decompress(raw)
    except zlib.error:
        pass


def test_a_snooze_token_says_nothing_of_the_reminder_or_the_person(owner):
    due = datetime.now(UTC) - timedelta(minutes=5)
    occurrence = sent_reminder(owner, due, id=48213977)
    token = snooze_token(occurrence)
    assert str(occurrence.pk) not in token
    # Random bytes almost never decode as text; the former token decoded to '{"o":48213977,"p":1}'.
    for text in decodings(token):
        for number in (occurrence.pk, owner.pk):
            assert not re.search(rf"(?<![0-9]){number}(?![0-9])", text), (token, text)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", token)
    with pytest.raises(signing.BadSignature):
        signing.loads(token, salt="knipa.reminders.snooze")  # not the old signed dict
    # Random: the next reminder's token has nothing in common with it.
    other = snooze_token(sent_reminder(owner, due + timedelta(hours=1)))
    assert other != token and other[:8] != token[:8]


def test_a_snooze_token_works_exactly_once_and_the_second_press_says_so(client, owner):
    Profile.objects.filter(pk=owner.pk).update(language="en")
    occurrence = sent_reminder(owner, datetime.now(UTC) - timedelta(minutes=5))
    token = snooze_token(occurrence)
    version = Profile.objects.get(pk=owner.pk).data_version

    first = client.post(reverse("reminders:snooze_token"), {"token": token})
    assert first.status_code == 200
    [later] = Occurrence.objects.filter(profile=owner, snoozed=True)
    assert first.json()["due_at"] == later.due_at.isoformat()
    assert Profile.objects.get(pk=owner.pk).data_version > version  # the reminders page shows it

    # From a browser that is not logged in and has chosen no language: the answer is in the
    # person's language, as the notification was.
    second = client.post(reverse("reminders:snooze_token"), {"token": token})
    assert second.status_code == 409
    assert second["Content-Type"] == "application/json"
    assert second.json() == {"detail": "This reminder has already been snoozed."}
    assert Occurrence.objects.filter(profile=owner, snoozed=True).count() == 1
    # Nor does the spent token come back with the reminder when it is sent again.
    assert snooze_token(Occurrence.objects.get(pk=occurrence.pk)) == ""


def test_the_snoozed_reminder_has_its_own_token_and_can_be_snoozed_again(client, owner):
    occurrence = sent_reminder(owner, datetime.now(UTC) - timedelta(minutes=5))
    client.post(reverse("reminders:snooze_token"), {"token": snooze_token(occurrence)})
    later = Occurrence.objects.get(profile=owner, snoozed=True)
    token = snooze_token(later)
    assert token and token != snooze_token(occurrence)
    assert client.post(reverse("reminders:snooze_token"), {"token": token}).status_code == 200


def test_a_reminder_snoozed_on_the_page_cannot_be_snoozed_again_from_its_notification(owner_client, owner, client):
    # Sent to one browser, a retry still waiting for another: pending, and its token is out.
    due = datetime.now(UTC) + timedelta(minutes=1)
    occurrence = Occurrence.objects.create(profile=owner, slot=0, due_at=due, next_attempt_at=due)
    token = snooze_token(occurrence)
    owner_client.post(reverse("reminders:snooze_upcoming", args=[occurrence.id]))
    assert Occurrence.objects.filter(profile=owner, snoozed=True).count() == 1
    assert client.post(reverse("reminders:snooze_token"), {"token": token}).status_code == 409
    assert Occurrence.objects.filter(profile=owner, snoozed=True).count() == 1


def _spent_looking(owner):
    occurrence = sent_reminder(owner, datetime.now(UTC))
    token = snooze_token(occurrence)
    return "." + token


def _expired(owner):
    return snooze_token(sent_reminder(owner, datetime.now(UTC) - timedelta(hours=13)))


def _old_signed(owner):
    occurrence = sent_reminder(owner, datetime.now(UTC))
    return signing.dumps({"o": occurrence.pk, "p": owner.pk}, salt="knipa.reminders.snooze", compress=True)


@pytest.mark.parametrize("make_token", [
    lambda owner: "made-up",
    lambda owner: "",
    lambda owner: "x" * 5000,
    lambda owner: "A" * 32,  # the right shape, no such reminder
    _spent_looking,  # the mark of a spent token is not a token
    _expired,  # a reminder more than 12 hours old
    _old_signed,  # the former signed dict of ids is no longer accepted
], ids=["made-up", "empty", "huge", "unknown", "spent-mark", "expired", "old-signed"])
def test_an_unknown_or_expired_token_gets_a_plain_answer(client, owner, make_token):
    Profile.objects.filter(pk=owner.pk).update(language="en")
    token = make_token(owner)
    response = english(client).post(reverse("reminders:snooze_token"), {"token": token})
    assert response.status_code == 400
    assert response.json() == {"detail": "This reminder can no longer be snoozed."}
    assert not Occurrence.objects.filter(snoozed=True).exists()


def test_a_snooze_without_a_token_field_gets_a_plain_answer(client):
    response = client.post(reverse("reminders:snooze_token"), {})
    assert response.status_code == 400 and "detail" in response.json()


# --- The calendar feed --------------------------------------------------------------------------

def feed_uids(client, token) -> list[str]:
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    return [str(event["UID"]) for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]


def calendar_token(owner_client, owner, action="create") -> str:
    owner_client.post(reverse("reminders:calendar_link"), {"action": action})
    return ReminderSettings.objects.get(profile=owner).calendar_token


def test_calendar_event_ids_reveal_no_profile_id_and_are_stable_until_the_address_changes(
        owner_client, owner, client):
    token = calendar_token(owner_client, owner)
    uids = feed_uids(client, token)
    assert len(uids) == 3  # E0: three rounds a day
    for uid in uids:
        local, _, domain = uid.partition("@")
        assert re.fullmatch(r"[0-9a-f]{32}", local), uid
        assert domain == "knipa"  # the default public address is loopback: no real host to name
    assert len(set(uids)) == 3
    # A calendar that fetches again finds the same events, and so does not duplicate them.
    assert feed_uids(client, token) == uids

    new_token = calendar_token(owner_client, owner, action="regenerate")
    new_uids = feed_uids(client, new_token)
    assert len(new_uids) == 3 and not set(new_uids) & set(uids)


def test_calendar_event_ids_name_the_public_host_when_there_is_one(owner_client, owner, client):
    token = calendar_token(owner_client, owner)
    with override_settings(PUBLIC_URL="https://knipa.example.se"):
        uids = feed_uids(client, token)
    assert all(uid.endswith("@knipa.example.se") for uid in uids)


def test_two_people_with_the_same_times_get_different_event_ids(owner_client, owner, stranger_client, stranger,
                                                                client):
    mine = feed_uids(client, calendar_token(owner_client, owner))
    theirs = feed_uids(client, calendar_token(stranger_client, stranger))
    assert not set(mine) & set(theirs)


def test_the_downloaded_calendar_has_event_ids_that_reveal_nothing_either(owner_client, owner):
    response = owner_client.get(reverse("reminders:calendar_download"))
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]
    assert uids and all(re.fullmatch(r"[0-9a-f]{32}@knipa", uid) for uid in uids)
    assert uids == [str(e["UID"]) for e in icalendar.Calendar.from_ical(
        owner_client.get(reverse("reminders:calendar_download")).content).walk("VEVENT")]
