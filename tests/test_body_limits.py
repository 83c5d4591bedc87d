"""Bodies too large get a clear, translated answer before anything reads them, never a 500 or a bare
400 (review finding 4): the API in JSON, pages and the data import as a page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from knipa.outcomes.models import Leak

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    client.cookies["knipa_language"] = "en"
    return client


def test_a_form_post_larger_than_a_megabyte_is_refused_with_a_page(owner_client):
    body = "situation=cough&note=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = english(owner_client).post(reverse("outcomes:leaks"), body,
                                          content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    html = response.content.decode()
    assert "That was too much to send" in html and "at most 1024 kB" in html
    assert not Leak.objects.exists()


def test_an_upload_larger_than_an_import_can_be_is_refused_with_a_page(owner_client):
    big = b"x" * (settings.UPLOAD_MAX_BODY_BYTES + 1)
    body = (b"--boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"knipa.json\"\r\n"
            b"Content-Type: application/json\r\n\r\n" + big + b"\r\n--boundary--\r\n")
    response = english(owner_client).post(reverse("data:page"), body,
                                          content_type="multipart/form-data; boundary=boundary")
    assert response.status_code == 413
    assert "at most 5 MB" in response.content.decode()


def test_an_oversized_api_request_is_refused_in_json(owner_client):
    response = english(owner_client).post("/api/rounds", "{" + " " * settings.API_MAX_BODY_BYTES + "}",
                                          content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large (at most 64 kB)."}


def test_the_refusal_is_in_swedish_by_default(owner_client):
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = owner_client.post(reverse("outcomes:leaks"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and 'lang="sv"' in response.content.decode()


def test_an_upload_within_the_limit_reaches_the_import_form(owner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = english(owner_client).post(reverse("data:page"), {
        "file": SimpleUploadedFile("knipa.json", b"not json", content_type="application/json")})
    assert response.status_code == 200 and "does not contain JSON" in response.content.decode()


def test_an_uploaded_import_stays_in_memory_and_never_in_a_temporary_file():
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.UPLOAD_MAX_BODY_BYTES
    assert settings.UPLOAD_MAX_BODY_BYTES <= settings.SERVER_MAX_REQUEST_BODY_BYTES
