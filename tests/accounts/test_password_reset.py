"""A forgotten password (security review, issue 13 item 11): a link to the confirmed address that
works for an hour and once, the same answer whether or not an account exists, limits per client
and per account, and the person's other sessions end with the old password."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from knipa.accounts import emails
from knipa.accounts.models import Throttle
from tests.accounts.mailbox import confirm_address, links_in, path_of
from tests.conftest import PASSWORD, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_server")]

NEW_PASSWORD = "a brand new passphrase 73"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def mail_server():
    with override_settings(EMAIL_REMINDERS=True, EMAIL_HOST="127.0.0.1", PUBLIC_URL="https://knipa.example"):
        yield


@pytest.fixture
def ada(db):
    profile = make_person("ada", language="en")
    confirm_address(profile, "ada@example.org")
    mail.outbox.clear()
    return profile


def english(client=None):
    client = client or Client()
    client.cookies["knipa_language"] = "en"
    return client


def ask(name: str, client=None):
    response = english(client).post(reverse("accounts:password_reset"), {"name": name})
    emails.wait_for_mail()
    return response


def reset_link() -> str:
    [message] = mail.outbox
    [link] = links_in(message)
    return path_of(link)


def can_log_in(password: str) -> bool:
    response = Client().post(reverse("accounts:login"), {"username": "ada", "password": password})
    return response.status_code == 302


def test_the_login_page_leads_to_the_reset():
    page = english().get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in page and "Forgot your password?" in page


@pytest.mark.parametrize("name", ["ada", "ADA@example.org"])
def test_a_person_with_a_confirmed_address_resets_the_password_end_to_end(ada, name):
    response = ask(name)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_sent")
    [message] = mail.outbox
    assert message.to == ["ada@example.org"] and "new password" in message.subject
    assert links_in(message)[0].startswith("https://knipa.example/login/reset/")
    browser = english()
    opened = browser.get(reset_link())
    # Django takes the token out of the address before the form is shown (no Referer leak).
    assert opened.status_code == 302 and opened["Location"].endswith(".set-password/")
    form = browser.get(opened["Location"])
    assert "Choose a new password" in form.content.decode() and 'name="new_password1"' in form.content.decode()
    done = browser.post(opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_reset_done")
    assert can_log_in(NEW_PASSWORD) and not can_log_in(PASSWORD)


def test_an_unknown_name_an_unconfirmed_address_and_a_real_account_get_the_same_answer(ada, client_factory):
    unconfirmed = make_person("bo")
    unconfirmed.user.email = "bo@example.org"
    unconfirmed.user.save()
    answers = []
    for name in ("ada", "nobody", "nobody@example.org", "bo", "bo@example.org"):
        response = ask(name, client_factory())
        page = CSRF_TOKEN.sub("", english().get(response["Location"]).content.decode())  # random each time
        answers.append((response.status_code, response["Location"], page))
    assert len(set(answers)) == 1
    assert "If there is a Knipa account with that username or address" in answers[0][2]
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]


def test_without_a_confirmed_address_the_page_says_plainly_what_can_be_done():
    page = english().get(reverse("accounts:password_reset")).content.decode()
    assert "Then the password cannot be reset." in page
    assert "start again without an account, or ask whoever runs this Knipa for help" in page


@override_settings(EMAIL_REMINDERS=False)
def test_without_a_mail_server_nothing_is_sent_and_the_page_says_why(ada):
    response = english().post(reverse("accounts:password_reset"), {"name": "ada"})
    assert "This Knipa cannot send e-mail" in response.content.decode()
    emails.wait_for_mail()
    assert mail.outbox == []


def test_the_link_works_only_once(ada):
    ask("ada")
    link = reset_link()
    browser = english()
    form_url = browser.get(link)["Location"]
    browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = english().get(link)
    assert again.status_code == 200 and "This link does not work" in again.content.decode()
    assert can_log_in(NEW_PASSWORD)


def test_the_link_expires_after_an_hour(ada, monkeypatch):
    ask("ada")
    link = reset_link()
    made = default_token_generator._now()
    monkeypatch.setattr(default_token_generator, "_now", lambda: made + timedelta(minutes=61))
    page = english().get(link)
    assert page.status_code == 200 and "This link does not work" in page.content.decode()
    assert can_log_in(PASSWORD)


def test_a_made_up_link_resets_nothing(ada):
    for token in ("MQ.abc-123", "nonsense", "MQ.set-password"):
        page = english().get(f"/login/reset/{token}/")
        assert "This link does not work" in page.content.decode()
    assert can_log_in(PASSWORD)


def test_one_client_may_ask_five_times_in_a_quarter_of_an_hour(ada):
    client = english()
    answers = [ask(name, client).status_code for name in ("a", "b", "c", "d", "e", "ada")]
    assert answers == [302, 302, 302, 302, 302, 429]
    assert mail.outbox == []
    page = ask("ada", client).content.decode()
    assert "Please wait 15 minutes and try again." in page


def test_one_account_gets_one_link_in_ten_minutes_whoever_asks(ada, client_factory):
    # From different clients, by name and by address: the mailbox gets one link, the answers are the same.
    for name in ("ada", "ada@example.org", "ada"):
        assert ask(name, client_factory()).status_code == 302
    assert len(mail.outbox) == 1
    for mark in Throttle.objects.filter(scope="reset-account"):
        mark.at -= timedelta(minutes=11)
        mark.save()
    ask("ada", client_factory())
    assert len(mail.outbox) == 2


def test_after_a_reset_the_persons_other_sessions_no_longer_work(ada, client_factory):
    phone = client_factory(ada.user)
    assert phone.get(reverse("reminders:page")).status_code == 200  # kept for this session (pagecache)
    assert phone.get(reverse("reminders:page")).status_code == 200
    ask("ada")
    browser = english()
    form_url = browser.get(reset_link())["Location"]
    browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # Neither the kept page nor any other page is shown to the old session any more.
    for page in (reverse("reminders:page"), reverse("today:home"), reverse("accounts:account")):
        response = phone.get(page)
        assert response.status_code == 302 and response["Location"].split("?")[0] == reverse("accounts:login"), page
