"""CSV files a Swedish spreadsheet opens as columns (issue 15, item 10): in Swedish, semicolons
between columns and decimal commas (1,5); in English, commas and decimal points (1.5); in both,
UTF-8 with a byte order mark."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knipa.outcomes.models import DiaryEntry
from knipa.training.models import ExerciseRecord, TrainingRound
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

ROUNDS_CSV = reverse("data:rounds_csv")
DIARY_CSV = reverse("data:diary_csv")


@pytest.fixture
def trained(db):
    profile = make_person("kalkyl")
    started = timezone.now() - timedelta(days=1)
    training_round = TrainingRound.objects.create(
        id=uuid.uuid4(), profile=profile, stage="training", position="lying", status="finished", effort="right",
        started_at=started, ended_at=started + timedelta(minutes=5))
    ExerciseRecord.objects.create(training_round=training_round, order=0, exercise="E1", planned_reps=8,
                                  achieved_reps=8, planned_squeeze_seconds=1.5, planned_rest_seconds=3,
                                  held_seconds=None)
    DiaryEntry.objects.create(profile=profile, at=started, kind="drink", drink="water", volume_ml=250)
    return profile


def download(client_factory, profile, language, address):
    client = client_factory(profile.user)
    client.cookies["knipa_language"] = language
    response = client.get(address)
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark, as before
    return response.content.decode("utf-8-sig").split("\r\n")


def test_a_swedish_csv_has_semicolons_and_decimal_commas(client_factory, trained):
    header, row, *_rest = download(client_factory, trained, "sv", ROUNDS_CSV)
    assert header.startswith("Datum;") and "," not in header
    assert ";1,5;" in row and "1.5" not in row
    header, row, *_rest = download(client_factory, trained, "sv", DIARY_CSV)
    assert header.startswith("Datum;") and ";250;" in row


def test_an_english_csv_has_commas_and_decimal_points(client_factory, trained):
    header, row, *_rest = download(client_factory, trained, "en", ROUNDS_CSV)
    assert header.startswith("Date,Start,")
    assert ",1.5," in row and "1,5" not in row
    header, row, *_rest = download(client_factory, trained, "en", DIARY_CSV)
    assert header.startswith("Date,Time,") and ",250," in row


def test_a_stranger_downloads_only_their_own_empty_files(client_factory, trained):
    stranger = make_person("främling")
    for address in (ROUNDS_CSV, DIARY_CSV):
        lines = [line for line in download(client_factory, stranger, "sv", address) if line]
        assert len(lines) == 1  # the header only
