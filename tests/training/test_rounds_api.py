"""The rounds API: timeline, saving (once), reading and deleting, for the owner only."""

import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from knipa.training.models import ExerciseRecord, TrainingRound
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def a_round(**changes):
    started = timezone.now() - timedelta(minutes=5)
    payload = {
        "id": str(uuid.uuid4()),
        "stage": "learning",
        "position": "lying",
        "status": "finished",
        "started_at": started.isoformat(),
        "ended_at": (started + timedelta(minutes=2)).isoformat(),
        "exercises": [
            {
                "exercise": "E0", "planned_reps": 10, "achieved_reps": 10, "planned_squeeze_seconds": 3,
                "planned_rest_seconds": 3, "full_strength_reps": 8, "felt_lift": "yes", "pain": False,
            }
        ],
    }
    payload.update(changes)
    return payload


def post_round(client, payload):
    return client.post("/api/rounds", json.dumps(payload), content_type="application/json")


def test_the_timeline_is_the_persons_current_round_with_translated_cue_texts(owner_client):
    response = owner_client.get("/api/timeline?position=sitting")
    assert response.status_code == 200
    data = response.json()
    assert data["stage"] == "learning" and data["position"] == "sitting"
    assert data["positions"] == ["lying", "sitting", "all_fours"]
    squeeze = next(cue for cue in data["cues"] if cue["kind"] == "squeeze")
    assert squeeze["text"] == "Knip"  # Swedish by default


def test_the_timeline_for_a_person_in_pain_is_relaxation_only(client_factory, db):  # spec S1, E8
    person = make_person("hurting", pain=True)
    data = client_factory(person.user).get("/api/timeline").json()
    assert data["stage"] == "relaxation"
    assert {exercise["exercise"] for exercise in data["exercises"]} == {"E8"}


def test_an_unsuitable_position_falls_back_to_an_allowed_one(client_factory, db):  # spec E7
    person = make_person("healing", recent_event="childbirth")
    data = client_factory(person.user).get("/api/timeline?position=standing").json()
    assert data["stage"] == "circulation" and data["position"] == "lying"


def test_a_round_is_saved_with_every_exercise(owner_client, owner):
    payload = a_round()
    response = post_round(owner_client, payload)
    assert response.status_code == 201
    stored = TrainingRound.objects.get(id=payload["id"])
    assert stored.profile == owner and stored.status == "finished"
    record = stored.exercises.get()
    assert (record.exercise, record.achieved_reps, record.full_strength_reps, record.felt_lift) == ("E0", 10, 8, "yes")


def test_sending_the_same_round_twice_stores_it_once(owner_client):
    payload = a_round()
    assert post_round(owner_client, payload).status_code == 201
    again = post_round(owner_client, payload)
    assert again.status_code == 200
    assert TrainingRound.objects.count() == 1 and ExerciseRecord.objects.count() == 1


def test_an_endurance_record_keeps_the_hold_and_the_recatches(owner_client):  # spec E3
    payload = a_round(stage="training", exercises=[{
        "exercise": "E3", "planned_reps": 1, "achieved_reps": 1, "planned_squeeze_seconds": 60,
        "planned_rest_seconds": 60, "held_seconds": 42.5, "recatches": 2,
    }])
    assert post_round(owner_client, payload).status_code == 201
    record = ExerciseRecord.objects.get()
    assert record.held_seconds == 42.5 and record.recatches == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"exercises": [{"exercise": "E0", "planned_reps": 10, "achieved_reps": 3,
                         "planned_squeeze_seconds": -3, "planned_rest_seconds": 3}]}, "planned_squeeze_seconds"),
        ({"exercises": [{"exercise": "E99", "planned_reps": 10, "achieved_reps": 3,
                         "planned_squeeze_seconds": 3, "planned_rest_seconds": 3}]}, "exercise"),
        ({"exercises": [{"exercise": "E0", "planned_reps": 10, "achieved_reps": 11,
                         "planned_squeeze_seconds": 3, "planned_rest_seconds": 3}]}, "exercises"),
        ({"status": "abandoned"}, "status"),
        ({"position": "upside_down"}, "position"),
        ({"id": "not-a-uuid"}, "id"),
    ],
)
def test_bad_values_get_a_422_that_names_the_field(owner_client, change, field):
    response = post_round(owner_client, a_round(**change))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Några värden är inte giltiga."
    assert any(field in problem["field"] for problem in body["problems"])
    assert TrainingRound.objects.count() == 0


def test_a_round_from_the_future_is_refused(owner_client):
    soon = timezone.now() + timedelta(hours=2)
    response = post_round(owner_client, a_round(started_at=soon.isoformat(),
                                                ended_at=(soon + timedelta(minutes=1)).isoformat()))
    assert response.status_code == 422
    assert "future" in json.dumps(response.json())


def test_a_round_that_ends_before_it_starts_is_refused(owner_client):
    now = timezone.now() - timedelta(minutes=1)
    response = post_round(owner_client, a_round(started_at=now.isoformat(),
                                                ended_at=(now - timedelta(minutes=1)).isoformat()))
    assert response.status_code == 422


def test_an_oversized_payload_is_refused_with_413(owner_client):
    payload = a_round()
    payload["padding"] = "x" * (70 * 1024)
    response = post_round(owner_client, payload)
    assert response.status_code == 413
    assert "kB" in response.json()["detail"]


def test_malformed_json_gets_a_clear_4xx(owner_client):
    response = owner_client.post("/api/rounds", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_saving_needs_a_csrf_token(owner):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner.user)
    response = post_round(strict, a_round())
    assert response.status_code == 403
    assert TrainingRound.objects.count() == 0


def test_an_anonymous_visitor_gets_nothing_and_can_save_nothing(client, owner_client):
    payload = a_round()
    post_round(owner_client, payload)
    assert client.get("/api/timeline").status_code == 401
    assert client.get("/api/rounds").status_code == 401
    assert client.get(f"/api/rounds/{payload['id']}").status_code == 401
    assert post_round(client, a_round()).status_code == 401
    assert TrainingRound.objects.count() == 1


def test_a_stranger_cannot_read_delete_or_overwrite_anothers_round(owner_client, stranger_client, owner):
    payload = a_round()
    post_round(owner_client, payload)
    assert stranger_client.get(f"/api/rounds/{payload['id']}").status_code == 404
    assert stranger_client.delete(f"/api/rounds/{payload['id']}").status_code == 404
    assert stranger_client.get("/api/rounds").json() == []
    overwrite = post_round(stranger_client, {**payload, "status": "stopped"})
    assert overwrite.status_code == 409
    stored = TrainingRound.objects.get(id=payload["id"])
    assert stored.profile == owner and stored.status == "finished"


def test_the_owner_reads_lists_and_deletes_their_rounds(owner_client):
    older = a_round(started_at=(timezone.now() - timedelta(days=1)).isoformat(),
                    ended_at=(timezone.now() - timedelta(days=1) + timedelta(minutes=2)).isoformat())
    newer = a_round()
    post_round(owner_client, older)
    post_round(owner_client, newer)
    listed = owner_client.get("/api/rounds").json()
    assert [item["id"] for item in listed] == [newer["id"], older["id"]]
    assert owner_client.get(f"/api/rounds/{older['id']}").json()["exercises"][0]["exercise"] == "E0"
    assert owner_client.delete(f"/api/rounds/{older['id']}").status_code == 204
    assert owner_client.get(f"/api/rounds/{older['id']}").status_code == 404


def test_the_api_is_documented_from_our_own_origin(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui" in html
    assert "cdn" not in html.lower()
    assert client.get("/api/openapi.json").json()["paths"]["/api/rounds"]
