"""A person's e-mail address (security review, issue 13 item 3): Knipa mails an address only after
its owner has opened the confirmation link sent to it, sends that link only a few times, and a
link confirms only the address it was sent to."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from knipa.accounts import emails
from knipa.accounts.emails import Sent
from knipa.accounts.models import EmailConfirmation, Profile, Throttle
from tests.accounts.mailbox import confirm_address, links_in, mails_to, path_of
from tests.conftest import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_server")]

VICTIM = "someone.else@example.org"


@pytest.fixture
def mail_server():
    with override_settings(EMAIL_REMINDERS=True, EMAIL_HOST="127.0.0.1"):
        yield


def english(client):
    client.cookies["knipa_language"] = "en"
    return client


def a_while_later(minutes: float) -> None:
    """Move every counted action back in time, as if `minutes` had passed."""
    for mark in Throttle.objects.all():
        mark.at -= timedelta(minutes=minutes)
        mark.save()


def ask_for_link(client) -> str:
    response = english(client).post(reverse("accounts:send_email_link"), follow=True)
    return response.content.decode()


def test_a_new_address_gets_one_confirmation_link_and_is_not_confirmed_until_it_is_opened(owner_client, owner):
    response = english(owner_client).post(reverse("accounts:email"), {"email": VICTIM}, follow=True)
    assert f"We have sent a link to {VICTIM}" in response.content.decode()
    [message] = mail.outbox
    assert message.to == [VICTIM]
    assert message.subject == "Bekräfta din e-postadress för Knipa"  # in the person's language, Swedish
    owner.refresh_from_db()
    assert owner.user.email == VICTIM and not owner.email_confirmed
    # The link's secret is random (32 bytes), says nothing of the account, and only its hash is kept.
    [link] = links_in(message)
    token = path_of(link).rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43
    assert EmailConfirmation.objects.get().token_digest == emails.token_digest(token) != token


def test_opening_the_link_shows_a_button_and_writes_nothing_until_it_is_pressed(owner):
    with override_settings(EMAIL_REMINDERS=True):
        emails.change_address(owner, "owner@example.org")
        emails.send_confirmation(owner, RequestFactory().post("/"))
    [link] = links_in(mail.outbox[0])
    browser = english(Client())  # opened on another device, logged out
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(path_of(link))
    assert page.status_code == 200
    assert "Yes, confirm my address" in page.content.decode()
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(
        ("INSERT", "UPDATE", "DELETE")) and "session" not in q["sql"]]
    owner.refresh_from_db()
    assert not owner.confirmed_email
    pressed = browser.post(path_of(link))
    assert "is now confirmed" in pressed.content.decode()
    owner.refresh_from_db()
    assert owner.email_confirmed and owner.confirmed_email == "owner@example.org"
    assert owner.unsubscribe_token and len(owner.unsubscribe_token) >= 40


def test_the_link_opens_in_the_persons_language_on_a_new_device_unless_the_browser_chose_one(owner):
    Profile.objects.filter(pk=owner.pk).update(language="en")
    owner.refresh_from_db()
    with override_settings(EMAIL_REMINDERS=True):
        emails.change_address(owner, "owner@example.org")
        emails.send_confirmation(owner, RequestFactory().post("/"))
    [link] = links_in(mail.outbox[0])
    assert mail.outbox[0].subject == "Confirm your e-mail address for Knipa"
    page = Client().get(path_of(link)).content.decode()
    assert '<html lang="en">' in page and "Yes, confirm my address" in page
    swedish = Client()
    swedish.cookies["knipa_language"] = "sv"
    page = swedish.get(path_of(link)).content.decode()
    assert '<html lang="sv">' in page and "Ja, bekräfta min adress" in page


def test_a_confirmation_link_works_once(owner):
    with override_settings(EMAIL_REMINDERS=True):
        emails.change_address(owner, "owner@example.org")
        emails.send_confirmation(owner, RequestFactory().post("/"))
    [link] = links_in(mail.outbox[0])
    assert Client().post(path_of(link)).status_code == 200
    emails.change_address(owner, "")
    emails.change_address(owner, "owner@example.org")  # the same address again, unconfirmed
    assert Client().post(path_of(link)).status_code == 404
    owner.refresh_from_db()
    assert not owner.email_confirmed


def test_a_link_sent_to_an_old_address_does_not_confirm_the_changed_one(owner_client, owner):
    english(owner_client).post(reverse("accounts:email"), {"email": "old@example.org"})
    [old_link] = links_in(mails_to("old@example.org")[0])
    # Whoever holds the old mailbox must not confirm the address the person has now.
    english(owner_client).post(reverse("accounts:email"), {"email": "new@example.org"})
    response = Client().post(path_of(old_link))
    assert response.status_code == 404
    assert "This link does not work" in english(Client()).post(path_of(old_link)).content.decode()
    owner.refresh_from_db()
    assert owner.user.email == "new@example.org" and not owner.email_confirmed and owner.confirmed_email == ""


def test_changing_a_confirmed_address_makes_it_unconfirmed_again(owner_client, owner):
    confirm_address(owner, "owner@example.org")
    english(owner_client).post(reverse("accounts:email"), {"email": "other@example.org"})
    owner.refresh_from_db()
    assert owner.user.email == "other@example.org"
    assert owner.confirmed_email == "" and not owner.email_confirmed and owner.unsubscribe_token == ""


def test_a_strangers_made_up_token_confirms_nothing(owner, stranger_client):
    with override_settings(EMAIL_REMINDERS=True):
        emails.change_address(owner, "owner@example.org")
        emails.send_confirmation(owner, RequestFactory().post("/"))
    for token in ("x" * 43, "a.b", EmailConfirmation.objects.get().token_digest):
        assert stranger_client.post(f"/email/confirm/{token}/").status_code == 404
    owner.refresh_from_db()
    assert not owner.email_confirmed


def test_only_one_confirmation_mail_per_address_in_ten_minutes_whoever_asks(client_factory):
    # Someone typing another person's address into several new accounts: that address gets one link.
    people = [make_person(f"visitor{i}", secured=False) for i in range(3)]
    for person in people:
        client = client_factory(person.user)
        client.post(reverse("accounts:email"), {"email": VICTIM})
        ask_for_link(client)
    assert len(mails_to(VICTIM)) == 1
    a_while_later(minutes=11)
    ask_for_link(client_factory(people[0].user))
    assert len(mails_to(VICTIM)) == 2


def test_asking_again_too_soon_is_refused_in_plain_words_and_sends_nothing(owner_client):
    english(owner_client).post(reverse("accounts:email"), {"email": "owner@example.org"})
    assert "Please wait a while and try again." in ask_for_link(owner_client)
    assert len(mail.outbox) == 1


def test_an_address_gets_at_most_four_links_a_day_and_a_person_asks_for_at_most_five(owner_client, owner):
    english(owner_client).post(reverse("accounts:email"), {"email": "owner@example.org"})
    for _ in range(5):
        a_while_later(minutes=11)
        ask_for_link(owner_client)
    assert len(mails_to("owner@example.org")) == 4
    # A fifth link for another address of theirs, then nothing more today.
    for number in range(3):
        a_while_later(minutes=11)
        english(owner_client).post(reverse("accounts:email"), {"email": f"other{number}@example.org"})
    assert len(mail.outbox) == 5
    a_while_later(minutes=24 * 60)
    ask_for_link(owner_client)
    assert len(mail.outbox) == 6


def test_the_throttle_keeps_no_address_in_the_clear(owner_client):
    english(owner_client).post(reverse("accounts:email"), {"email": "owner@example.org"})
    kept = " ".join(Throttle.objects.values_list("key_digest", flat=True))
    assert Throttle.objects.count() == 3 and "owner" not in kept and "example" not in kept


def test_securing_a_profile_with_an_address_sends_its_confirmation_link(client_factory):
    person = make_person("browser-abc", secured=False)
    person.user.set_unusable_password()
    person.user.save()
    client = english(client_factory(person.user))
    response = client.post(reverse("accounts:account"), {
        "username": "squeezer", "email": "me@example.org",
        "password1": "another quite long passphrase 42", "password2": "another quite long passphrase 42"},
        follow=True)
    assert "We have sent a link to me@example.org" in response.content.decode()
    assert [message.to for message in mail.outbox] == [["me@example.org"]]
    person.refresh_from_db()
    assert person.user.email == "me@example.org" and not person.email_confirmed


def test_the_account_page_says_whether_the_address_is_confirmed(owner_client, owner):
    english(owner_client).post(reverse("accounts:email"), {"email": "owner@example.org"})
    page = english(owner_client).get(reverse("accounts:account")).content.decode()
    assert "Confirm your address" in page and "Send the link again" in page
    [link] = links_in(mail.outbox[0])
    Client().post(path_of(link))
    page = english(owner_client).get(reverse("accounts:account")).content.decode()
    assert "is confirmed" in page and "Confirm your address" not in page


def test_a_bad_address_is_refused_in_plain_words_and_the_old_one_kept(owner_client, owner):
    confirm_address(owner, "owner@example.org")
    response = english(owner_client).post(reverse("accounts:email"), {"email": "not an address"})
    assert response.status_code == 200
    assert "Please give a valid e-mail address." in response.content.decode()
    owner.refresh_from_db()
    assert owner.email_confirmed and owner.user.email == "owner@example.org"


@override_settings(EMAIL_REMINDERS=False)
def test_without_a_mail_server_no_address_is_asked_for_and_no_link_sent(owner_client, owner):
    Profile.objects.filter(pk=owner.pk).update(secured=False)
    page = english(owner_client).get(reverse("accounts:account")).content.decode()
    assert 'name="email"' not in page
    owner.user.email = "owner@example.org"
    owner.user.save()
    assert "cannot send e-mail" in ask_for_link(owner_client)
    assert mail.outbox == []
