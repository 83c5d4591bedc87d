"""Error pages are translated and styled; no stack trace ever reaches a person; security headers."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_gets_a_translated_404_in_swedish_and_english(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Vi hittar inte sidan" in response.content.decode()
    client.post(reverse("content:set_language"), {"language": "en", "next": "/"})
    assert "We cannot find that page" in client.get("/no-such-page/").content.decode()


def test_a_form_without_csrf_token_gets_a_translated_page_and_changes_nothing(owner, owner_client):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner.user)
    response = strict.post(reverse("accounts:onboarding", args=["body"]) + "?from=profile", {"body": "vagina"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formuläret hade gått ut" in html
    assert "CSRF" not in html and "Traceback" not in html
    owner.refresh_from_db()
    assert owner.body == "penis"


@pytest.mark.urls("tests.content.broken_urls")
def test_an_unexpected_error_shows_a_translated_500_page_without_a_stack_trace():
    broken = Client(raise_request_exception=False)
    response = broken.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Något gick fel hos oss" in html
    assert "secret internals" not in html and "Traceback" not in html
    broken.post(reverse("content:set_language"), {"language": "en", "next": "/"})
    assert "Something went wrong on our side" in broken.get("/broken/").content.decode()


def test_every_page_forbids_inline_scripts_and_styles(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_pages_have_no_inline_script_or_style_elements(owner_client, client):
    for response in [client.get("/"), owner_client.get(reverse("today:home")),
                     owner_client.get(reverse("accounts:onboarding", args=["time-zone"]) + "?from=profile")]:
        html = response.content.decode()
        assert "<style" not in html and " style=" not in html
        for chunk in html.split("<script")[1:]:
            assert ' src="' in chunk.split(">", 1)[0]


def test_over_https_cookies_are_secure_and_hsts_is_sent(client):
    response = client.post(reverse("accounts:begin"), secure=True)
    assert response.cookies["knipa_session"]["secure"] is True
    page = client.get(reverse("accounts:onboarding", args=["body"]), secure=True)
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")
    assert page.cookies["knipa_csrftoken"]["secure"] is True


def test_over_plain_http_on_localhost_cookies_still_work(client):
    response = client.post(reverse("accounts:begin"))
    assert not response.cookies["knipa_session"]["secure"]
    assert "Strict-Transport-Security" not in client.get("/")


def test_session_cookies_are_http_only_and_same_site(client):
    cookie = client.post(reverse("accounts:begin")).cookies["knipa_session"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_no_page_puts_personal_data_in_its_url(owner_client):
    # Every personal page is found through the session, never through an id or name in the path.
    for name in ["today:home", "accounts:profile", "accounts:account", "accounts:delete"]:
        assert "owner" not in reverse(name)
    assert owner_client.get(reverse("accounts:profile")).status_code == 200
