"""The API's refusals are said in the person's language, also those django-ninja makes itself."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_body_that_is_not_json_gets_a_plain_translated_400(owner_client):
    response = owner_client.post("/api/rounds", data=b"{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Förfrågan kunde inte läsas: den är inte giltig JSON."}


def test_a_visitor_who_is_not_logged_in_gets_a_plain_translated_401(client):
    response = client.get("/api/rounds")
    assert response.status_code == 401
    assert response.json() == {"detail": "Logga in i Knipa först."}


def test_a_post_without_the_csrf_token_gets_a_plain_translated_403(owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner.user)
    browser.cookies[settings.CSRF_COOKIE_NAME] = "k" * 32
    response = browser.post("/api/push/subscriptions/remove", data={"endpoint": "https://x"},
                            content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Sidan var öppen för länge")


def test_every_refusal_is_documented_in_the_schema(client):
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"401", "409", "503"} <= documented, f"{method.upper()} {path}: {sorted(documented)}"
            if method != "get":
                assert {"400", "403", "413", "422"} <= documented, f"{method.upper()} {path}: {sorted(documented)}"
