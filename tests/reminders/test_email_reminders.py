"""Reminders by e-mail (spec H1; security review, issue 13 item 3): sent only to an address its
owner confirmed, through a real SMTP server on loopback, each with a one-click unsubscribe (RFC
8058) that works without logging in, while opening the link changes nothing."""

from __future__ import annotations

import email
import email.policy
import importlib
import socket
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from knipa.accounts.models import Profile
from knipa.reminders.dispatcher import Dispatcher
from knipa.reminders.models import Occurrence, ReminderSettings
from knipa.training import plans
from tests.accounts.mailbox import confirm_address, links_in, mails_to, path_of
from tests.accounts.test_starting_and_onboarding import onboard
from tests.conftest import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_server")]

VICTIM = "someone.else@example.org"
MORNING = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)  # before the 08:00 (07:00 UTC) reminders
AT_EIGHT = datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC)
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def mail_server():
    with override_settings(EMAIL_REMINDERS=True, EMAIL_HOST="127.0.0.1", PUBLIC_URL="https://knipa.example"):
        yield


class Clock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def run_at(at: datetime) -> None:
    dispatcher = Dispatcher(clock=Clock(at))
    dispatcher.plan_step(force=True)
    while dispatcher.send_step():
        pass


def person_with_email_reminders(name="ada", language="en", address="ada@example.org") -> Profile:
    profile = make_person(name, language=language)
    ReminderSettings.objects.create(profile=profile, times=["08:00"], weekdays=list(range(7)), by_email=True)
    plans.set_numbers(profile, {**plans.current_plan(profile).parameters.as_dict(), "rounds_per_day": 1})
    if address:
        confirm_address(profile, address)
    mail.outbox.clear()
    return profile


def english(client):
    client.cookies["knipa_language"] = "en"
    return client


def free_port() -> int:
    # aiosmtpd's Controller cannot listen on port 0 (it checks readiness by connecting to its port).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with override_settings(EMAIL_HOST="127.0.0.1", EMAIL_PORT=controller.port,
                               EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend"):
            yield inbox
    finally:
        controller.stop()


def one_click_unsubscribe(url: str):
    """What a mail provider does with List-Unsubscribe-Post (RFC 8058): a POST, no cookies, no CSRF token."""
    assert url.startswith("https://knipa.example/")
    return Client(enforce_csrf_checks=True).post(path_of(url), data="List-Unsubscribe=One-Click",
                                                 content_type="application/x-www-form-urlencoded")


def test_a_new_visitor_cannot_make_knipa_send_reminders_to_someone_elses_address(client):
    onboard(client)
    english(client).post(reverse("reminders:schedule"), {
        "time_0": "08:00", "time_1": "12:00", "time_2": "20:00", "weekdays": [str(d) for d in range(7)]})
    response = english(client).post(reverse("reminders:email"), {"email": VICTIM, "by_email": "on"}, follow=True)
    assert f"We have sent a link to {VICTIM}" in response.content.decode()
    profile = Profile.objects.get()
    assert ReminderSettings.objects.get(profile=profile).by_email
    # A day of reminders comes and goes.
    start = datetime.now(UTC)
    run_at(start)
    for occurrence in Occurrence.objects.filter(profile=profile).order_by("due_at")[:3]:
        run_at(occurrence.due_at + timedelta(seconds=5))
    [confirmation] = mails_to(VICTIM)  # the one confirmation link, and nothing else
    assert confirmation.subject == "Bekräfta din e-postadress för Knipa"  # the new person's language
    assert len(mail.outbox) == 1
    failed = Occurrence.objects.filter(profile=profile, status=Occurrence.Status.FAILED)
    assert failed.count() == 3
    assert failed.first().deliveries[-1]["error"] == "Skickades inte: din e-postadress är inte bekräftad än."
    # Asking for the link again at once sends nothing either.
    english(client).post(reverse("accounts:send_email_link"), {"next": "/reminders/"})
    assert len(mail.outbox) == 1


def test_a_reminder_mail_goes_through_a_real_smtp_server_with_a_one_click_unsubscribe(smtp_server):
    profile = person_with_email_reminders()
    run_at(MORNING)
    run_at(AT_EIGHT)
    [envelope] = smtp_server.messages
    assert envelope.rcpt_tos == ["ada@example.org"]
    # Parsed as a mail program would, long headers unfolded.
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "Time for your pelvic floor round"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(message["List-Unsubscribe"]).strip().strip("<>")  # may be folded onto its own line
    assert url == f"https://knipa.example/unsubscribe/{profile.unsubscribe_token}/"
    body = message.get_content()
    assert "https://knipa.example/train/" in body and url in body
    assert Occurrence.objects.get(profile=profile, due_at__day=1).status == Occurrence.Status.SENT

    response = one_click_unsubscribe(url)
    assert response.status_code == 200
    assert not ReminderSettings.objects.get(profile=profile).by_email
    # Stopped at once: the next morning's reminder sends no mail.
    run_at(AT_EIGHT + timedelta(days=1))
    assert len(smtp_server.messages) == 1


def test_the_button_on_the_unsubscribe_page_stops_e_mail_reminders_and_says_so():
    profile = person_with_email_reminders()
    path = reverse("reminders:unsubscribe", args=[profile.unsubscribe_token])
    page = english(Client()).get(path).content.decode()
    assert "Stop e-mail reminders" in page and 'name="List-Unsubscribe" value="One-Click"' in page
    done = english(Client()).post(path, {"List-Unsubscribe": "One-Click"}).content.decode()
    assert "Done: no more reminders by e-mail." in done
    assert not ReminderSettings.objects.get(profile=profile).by_email
    again = english(Client()).get(path).content.decode()
    assert "E-mail reminders are already off." in again


def test_opening_the_unsubscribe_link_changes_nothing():
    # Mail scanners and link previews open links: only the POST stops reminders.
    profile = person_with_email_reminders()
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(reverse("reminders:unsubscribe", args=[profile.unsubscribe_token]))
    assert response.status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert ReminderSettings.objects.get(profile=profile).by_email


def test_a_made_up_or_strangers_unsubscribe_token_stops_no_ones_reminders(stranger_client):
    owner = person_with_email_reminders("ada")
    other = person_with_email_reminders("bo", address="bo@example.org")
    # One character changed (never to itself: a token ending in "A" made this test pass by luck).
    changed = other.unsubscribe_token[:-1] + ("B" if other.unsubscribe_token.endswith("A") else "A")
    for token in ("x" * 43, changed, owner.unsubscribe_token[:20]):
        assert one_click_unsubscribe(f"https://knipa.example/unsubscribe/{token}/").status_code == 404
        assert stranger_client.post(f"/unsubscribe/{token}/").status_code == 404
    assert ReminderSettings.objects.filter(by_email=True).count() == 2
    # Each link stops its own person's mail only.
    one_click_unsubscribe(f"https://knipa.example/unsubscribe/{other.unsubscribe_token}/")
    assert ReminderSettings.objects.get(profile=owner).by_email
    assert not ReminderSettings.objects.get(profile=other).by_email


def test_the_unsubscribe_link_of_an_old_mail_still_works(owner_client):
    profile = person_with_email_reminders()
    run_at(MORNING)
    run_at(AT_EIGHT)
    [first] = mail.outbox
    old_link = first.extra_headers["List-Unsubscribe"].strip("<>")
    # Weeks of reminders later, the person turns e-mail off and on again themselves.
    client = Client()
    client.force_login(profile.user)
    client.post(reverse("reminders:email"), {"email": "ada@example.org", "by_email": ""})
    client.post(reverse("reminders:email"), {"email": "ada@example.org", "by_email": "on"})
    assert ReminderSettings.objects.get(profile=profile).by_email
    assert one_click_unsubscribe(old_link).status_code == 200
    assert not ReminderSettings.objects.get(profile=profile).by_email


def test_after_the_address_changes_no_reminder_goes_anywhere_until_the_new_one_is_confirmed():
    profile = person_with_email_reminders()
    client = english(Client())
    client.force_login(profile.user)
    client.post(reverse("reminders:email"), {"email": "new@example.org", "by_email": "on"})
    run_at(MORNING)
    run_at(AT_EIGHT)
    assert mails_to("ada@example.org") == []
    [confirmation] = mails_to("new@example.org")
    assert "Confirm" in confirmation.subject
    page = client.get(reverse("reminders:page")).content.decode()
    assert "Confirm your address" in page and "none are sent until you have confirmed" in page
    # Confirmed, the next reminder goes to the new address, with a new unsubscribe secret.
    [link] = links_in(confirmation)
    Client().post(path_of(link))
    run_at(AT_EIGHT + timedelta(days=1))
    [reminder] = mails_to("new@example.org")[1:]
    profile.refresh_from_db()
    assert profile.unsubscribe_token in reminder.extra_headers["List-Unsubscribe"]


def test_addresses_stored_before_confirmation_become_unconfirmed_and_the_page_asks_to_confirm():
    # As e-mail reminders were before: an address typed on the reminders page, never confirmed.
    profile = make_person("early", language="en")
    ReminderSettings.objects.create(profile=profile, times=["08:00"], weekdays=list(range(7)), by_email=True,
                                    email="early@example.org")
    plans.set_numbers(profile, {**plans.current_plan(profile).parameters.as_dict(), "rounds_per_day": 1})
    importlib.import_module("knipa.accounts.migrations.0005_addresses_to_confirm").move_reminder_addresses(
        apps, connection.schema_editor())
    profile.refresh_from_db()
    profile.user.refresh_from_db()
    assert profile.user.email == "early@example.org" and not profile.email_confirmed
    run_at(MORNING)
    run_at(AT_EIGHT)
    assert mail.outbox == []
    client = english(Client())
    client.force_login(profile.user)
    page = client.get(reverse("reminders:page")).content.decode()
    assert "Confirm your address" in page and "Send the link" in page
    client.post(reverse("accounts:send_email_link"), {"next": "/reminders/"})
    assert [message.to for message in mail.outbox] == [["early@example.org"]]


def test_email_reminders_need_an_address(owner_client, owner):
    response = english(owner_client).post(reverse("reminders:email"), {"email": "", "by_email": "on"})
    assert "Give the address the reminders should go to." in response.content.decode()
    assert not ReminderSettings.objects.filter(profile=owner, by_email=True).exists()
    english(owner_client).post(reverse("reminders:email"), {"email": "a@example.org", "by_email": "on"})
    owner.refresh_from_db()
    assert ReminderSettings.objects.get(profile=owner).by_email and owner.user.email == "a@example.org"


@override_settings(EMAIL_REMINDERS=False)
def test_without_a_mail_server_the_page_says_so_and_takes_no_address(owner_client, owner):
    page = english(owner_client).get(reverse("reminders:page")).content.decode()
    assert "this Knipa has no mail server set up" in page and 'name="email"' not in page
    english(owner_client).post(reverse("reminders:email"), {"email": VICTIM, "by_email": "on"})
    owner.refresh_from_db()
    assert owner.user.email == "" and mail.outbox == []
