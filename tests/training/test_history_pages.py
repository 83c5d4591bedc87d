"""The history pages: the person's rounds in their local time, details, deletion; owner only."""

import uuid
from datetime import datetime, timezone as dt_timezone

import pytest
from django.urls import reverse

from knipa.training.models import ExerciseRecord, TrainingRound

pytestmark = pytest.mark.django_db


def make_round(profile, started, **changes):
    values = {
        "id": uuid.uuid4(), "profile": profile, "stage": "training", "position": "sitting",
        "status": "finished", "started_at": started, "ended_at": started.replace(minute=started.minute + 4),
    }
    values.update(changes)
    training_round = TrainingRound.objects.create(**values)
    ExerciseRecord.objects.create(
        training_round=training_round, order=0, exercise="E3", planned_reps=1, achieved_reps=1,
        planned_squeeze_seconds=60, planned_rest_seconds=60, held_seconds=41, recatches=2, felt_lift="yes",
    )
    return training_round


def test_the_history_lists_rounds_newest_first_in_the_persons_local_time(owner_client, owner):
    # The owner lives in Pacific/Chatham (UTC+13:45 in November).
    older = make_round(owner, datetime(2026, 11, 20, 8, 0, tzinfo=dt_timezone.utc))
    newer = make_round(owner, datetime(2026, 11, 27, 8, 0, tzinfo=dt_timezone.utc))
    html = owner_client.get(reverse("training:history")).content.decode()
    assert html.index(str(newer.id)) < html.index(str(older.id))
    assert "21:45" in html and "08:00" not in html


def test_a_round_shows_what_was_done_in_each_exercise(owner_client, owner):  # spec E3
    training_round = make_round(owner, datetime(2026, 11, 27, 8, 0, tzinfo=dt_timezone.utc))
    html = owner_client.get(reverse("training:round", args=[training_round.id])).content.decode()
    assert "Uthållighet" in html  # Swedish by default
    assert "höll kvar 41 s, fångade upp knipet igen 2 gånger" in html


def test_an_empty_history_invites_the_first_round(owner_client):
    response = owner_client.get(reverse("training:history"))
    assert reverse("training:player") in response.content.decode()
    assert list(response.context["rounds"]) == []


def test_the_owner_can_delete_a_round(owner_client, owner):
    training_round = make_round(owner, datetime(2026, 11, 27, 8, 0, tzinfo=dt_timezone.utc))
    response = owner_client.post(reverse("training:delete_round", args=[training_round.id]))
    assert response["Location"] == reverse("training:history")
    assert not TrainingRound.objects.exists() and not ExerciseRecord.objects.exists()


def test_a_stranger_can_neither_see_nor_delete_anothers_round(stranger_client, owner):
    training_round = make_round(owner, datetime(2026, 11, 27, 8, 0, tzinfo=dt_timezone.utc))
    assert str(training_round.id) not in stranger_client.get(reverse("training:history")).content.decode()
    assert stranger_client.get(reverse("training:round", args=[training_round.id])).status_code == 404
    assert stranger_client.post(reverse("training:delete_round", args=[training_round.id])).status_code == 404
    assert TrainingRound.objects.filter(id=training_round.id).exists()


def test_an_anonymous_visitor_is_sent_to_the_login(client, owner):
    training_round = make_round(owner, datetime(2026, 11, 27, 8, 0, tzinfo=dt_timezone.utc))
    for url in [reverse("training:history"), reverse("training:round", args=[training_round.id]),
                reverse("training:player")]:
        assert client.get(url)["Location"].split("?")[0] == reverse("accounts:login")


def test_deleting_the_account_deletes_its_rounds(owner_client, owner):
    from tests.conftest import PASSWORD

    make_round(owner, datetime(2026, 11, 27, 8, 0, tzinfo=dt_timezone.utc))
    owner_client.post(reverse("accounts:delete"), {"confirm": "on", "password": PASSWORD})
    assert not TrainingRound.objects.exists() and not ExerciseRecord.objects.exists()


def test_the_home_page_offers_a_start_button_with_the_rounds_length(owner_client):
    html = owner_client.get(reverse("today:home")).content.decode()
    assert reverse("training:player") in html


def test_a_long_history_is_shown_a_page_at_a_time_and_every_round_can_be_reached(owner_client, owner):
    from datetime import timedelta

    from knipa.training.views import ROUNDS_PER_PAGE

    first = datetime(2026, 1, 1, 8, 0, tzinfo=dt_timezone.utc)
    rounds = [make_round(owner, first + timedelta(days=day)) for day in range(2 * ROUNDS_PER_PAGE + 5)]
    seen, page = [], 1
    while True:
        response = owner_client.get(reverse("training:history"), {"page": page})
        html = response.content.decode()
        on_page = [r for r in rounds if str(r.id) in html]
        assert 0 < len(on_page) <= ROUNDS_PER_PAGE
        seen += on_page
        if 'rel="next"' not in html:
            break
        page += 1
    assert page == 3 and f"Sida 3 av 3" in html
    assert sorted(r.id for r in seen) == sorted(r.id for r in rounds) and len(seen) == len(rounds)
    assert str(rounds[-1].id) in owner_client.get(reverse("training:history")).content.decode()  # newest first
    assert "65 omgångar" in html


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999999999", "2.5", ""])
def test_a_page_number_that_is_not_one_shows_a_real_page(owner_client, owner, page):
    make_round(owner, datetime(2026, 11, 27, 8, 0, tzinfo=dt_timezone.utc))
    response = owner_client.get(reverse("training:history"), {"page": page})
    assert response.status_code == 200
    assert len(response.context["rounds"]) == 1
