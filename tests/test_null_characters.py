"""A null character (U+0000) in any text a request carries gets a clear, translated 400, never a
500: PostgreSQL refuses it in text and JSON columns, so without the check at the door a push
endpoint, a note or a looked-up key holding one ended as a server error there (found by the API
fuzzing on PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from knipa.middleware import json_holds_null_character

pytestmark = pytest.mark.django_db

REFUSED_SV = "Förfrågan innehåller ett nolltecken"
REFUSED_EN = "The request contains a null character"


def test_a_json_body_with_an_escaped_null_character_gets_a_translated_400_from_the_api(owner_client):
    body = json.dumps({"endpoint": "°×t\u0000"})
    assert "\\u0000" in body
    response = owner_client.post("/api/push/subscriptions/remove", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(REFUSED_SV)


def test_a_raw_null_byte_in_a_json_body_is_refused_too(owner_client):
    response = owner_client.post("/api/push/subscriptions/remove", data=b'{"endpoint": "a\x00"}',
                                 content_type="application/json")
    assert response.status_code == 400


def test_an_escaped_backslash_before_u0000_is_ordinary_text_and_reaches_the_view(owner_client):
    # "\\u0000" in JSON is the six characters \u0000, not a null character.
    body = json.dumps({"endpoint": "https://push.example/\\u0000"})
    response = owner_client.post("/api/push/subscriptions/remove", data=body, content_type="application/json")
    assert response.status_code == 204


@pytest.mark.parametrize(("raw", "holds"), [
    (rb'"\u0000"', True), (rb'"\\u0000"', False), (rb'"\\\u0000"', True), (rb'"\\\\u0000"', False),
    (b'"\x00"', True), (rb'"\u00001"', True), (rb'"u0000"', False),
])
def test_json_text_is_read_exactly_for_null_characters(raw, holds):
    assert json_holds_null_character(raw) is holds
    if b"\x00" not in raw:
        assert ("\x00" in json.loads(raw)) is holds


def test_a_form_post_with_a_null_character_gets_the_error_page_in_the_persons_language(owner_client):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = owner_client.post("/check-in/", "notes=a%00b", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    html = response.content.decode()
    assert REFUSED_EN in html and "Nothing was saved." in html and '<html lang="en"' in html


@pytest.mark.parametrize("url", ["/plan/%00", "/history/?page=%00", "/calendar/ab%00cd.ics", "/api/rounds?x=%00"])
def test_a_null_character_in_the_path_or_query_is_refused_before_any_lookup(owner_client, url):
    response = owner_client.get(url)
    assert response.status_code == 400
    said = response.json()["detail"] if url.startswith("/api/") else response.content.decode()
    assert REFUSED_SV in said


def test_a_null_character_in_the_session_cookie_is_refused_not_looked_up(client):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abc\x00def"
    response = client.get("/home/")
    assert response.status_code == 400


def test_a_percent_sign_that_only_looks_like_a_null_character_still_passes(owner_client):
    # "%2500" is the text "%00", not a null character.
    assert owner_client.get("/history/?page=%2500").status_code == 200
