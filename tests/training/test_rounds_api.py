"""The rounds API: timeline, saving (once), reading and deleting, for the owner only."""

import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from knipa.program import plan as rules
from knipa.program.plan import RoundStatus
from knipa.program.questions import Question
from knipa.program.rounds import Stage
from knipa.training import plans
from knipa.training.cues import cue_text
from knipa.training.models import ExerciseRecord, PlanChange, TrainingRound
from knipa.training.today import today_for
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


def test_the_timeline_says_which_questions_follow_each_exercise(owner_client):  # spec E0, S1, T6
    data = owner_client.get("/api/timeline").json()
    assert data["stage"] == "learning" and data["asks_effort"] is True
    assert [exercise["questions"] for exercise in data["exercises"]] == [["full_strength", "felt_clearly", "pain"]]


def test_a_relaxation_timeline_asks_only_about_pain_and_not_how_hard_it_was(client_factory, db):  # spec E8, S1, T6
    person = make_person("hurting", pain=True)
    data = client_factory(person.user).get("/api/timeline").json()
    assert data["asks_effort"] is False
    assert {tuple(exercise["questions"]) for exercise in data["exercises"]} == {("pain",)}


def test_the_api_documents_the_allowed_values_from_the_clinical_core(owner_client):
    schemas = owner_client.get("/api/openapi.json").json()["components"]["schemas"]
    assert schemas["RoundIn"]["properties"]["status"]["enum"] == [status.value for status in RoundStatus]
    assert schemas["RoundIn"]["properties"]["stage"]["enum"] == [stage.value for stage in Stage]
    assert schemas["ExerciseIn"]["properties"]["felt_lift"]["enum"] == ["yes", "no", "unsure", ""]
    assert schemas["ExerciseOut"]["properties"]["questions"]["items"]["enum"] == [q.value for q in Question]


def test_an_unsuitable_position_falls_back_to_an_allowed_one(client_factory, db):  # spec E7
    person = make_person("healing", recent_event="childbirth")
    data = client_factory(person.user).get("/api/timeline?position=standing").json()
    assert data["stage"] == "circulation" and data["position"] == "lying"


def test_the_daily_life_practice_is_the_squeeze_before_a_cough(owner_client):  # spec E6
    data = owner_client.get("/api/timeline?practice=daily_life&position=standing").json()
    assert data["stage"] == "daily_life" and data["position"] == "standing"
    assert [exercise["exercise"] for exercise in data["exercises"]] == ["E6"]
    coughs = [cue for cue in data["cues"] if cue["kind"] == "hold"]
    assert len(coughs) == data["exercises"][0]["reps"]
    with translation.override("sv"):
        assert {cue["text"] for cue in coughs} == {cue_text("cough_now")}


def test_an_unknown_practice_is_ignored(owner_client):
    data = owner_client.get("/api/timeline?practice=juggling").json()
    assert data["stage"] == "learning"
    assert [exercise["exercise"] for exercise in data["exercises"]] == ["E0"]


def test_the_daily_life_practice_is_not_offered_on_the_relaxation_path(client_factory, db):  # spec S1
    person = make_person("hurting", pain=True)
    data = client_factory(person.user).get("/api/timeline?practice=daily_life").json()
    assert data["stage"] == "relaxation"
    assert {exercise["exercise"] for exercise in data["exercises"]} == {"E8"}


def test_a_round_is_saved_with_every_exercise(owner_client, owner):
    payload = a_round()
    response = post_round(owner_client, payload)
    assert response.status_code == 201
    stored = TrainingRound.objects.get(id=payload["id"])
    assert stored.profile == owner and stored.status == "finished"
    record = stored.exercises.get()
    assert (record.exercise, record.achieved_reps, record.full_strength_reps, record.felt_lift) == ("E0", 10, 8, "yes")


def test_how_the_round_felt_and_the_clarity_of_the_squeeze_are_saved_and_returned(owner_client):  # T6, E0
    exercise = {**a_round()["exercises"][0], "felt_lift": "", "felt_clearly": "unsure"}
    payload = a_round(effort="too_hard", exercises=[exercise])
    response = post_round(owner_client, payload)
    assert response.status_code == 201
    assert response.json()["effort"] == "too_hard"
    assert response.json()["exercises"][0]["felt_clearly"] == "unsure"
    stored = TrainingRound.objects.get(id=payload["id"])
    assert stored.effort == "too_hard" and stored.exercises.get().felt_clearly == "unsure"
    read = owner_client.get(f"/api/rounds/{payload['id']}").json()
    assert read["effort"] == "too_hard" and read["exercises"][0]["felt_clearly"] == "unsure"


def test_a_round_without_the_effort_answer_is_saved_as_not_answered(owner_client):
    payload = a_round()
    response = post_round(owner_client, payload)
    assert response.status_code == 201
    assert response.json()["effort"] == "" and response.json()["exercises"][0]["felt_clearly"] == ""
    assert TrainingRound.objects.get(id=payload["id"]).effort == ""


@pytest.mark.parametrize(("stage", "exercise"), [("maintenance", "E5"), ("daily_life", "E6")])
def test_maintenance_and_daily_life_rounds_are_saved(owner_client, stage, exercise):  # spec K2, E6
    payload = a_round(stage=stage, position="standing", effort="right", exercises=[{
        "exercise": exercise, "planned_reps": 5, "achieved_reps": 5, "planned_squeeze_seconds": 3,
        "planned_rest_seconds": 5, "felt_lift": "yes",
    }])
    assert post_round(owner_client, payload).status_code == 201
    stored = TrainingRound.objects.get(id=payload["id"])
    assert (stored.stage, stored.effort, stored.exercises.get().exercise) == (stage, "right", exercise)


def test_a_daily_life_practice_round_is_kept_but_not_counted_as_a_round_of_the_plan(owner_client, owner):  # spec E6
    started = timezone.now() - timedelta(hours=1)
    times = {"started_at": started.isoformat(), "ended_at": (started + timedelta(minutes=2)).isoformat()}
    practice = a_round(stage="daily_life", position="sitting", **times, exercises=[{
        "exercise": "E6", "planned_reps": 5, "achieved_reps": 5, "planned_squeeze_seconds": 3,
        "planned_rest_seconds": 5,
    }])
    assert post_round(owner_client, practice).status_code == 201
    assert post_round(owner_client, a_round(**times)).status_code == 201
    assert TrainingRound.objects.filter(profile=owner).count() == 2
    assert list(TrainingRound.objects.filter(profile=owner).counted().values_list("stage", flat=True)) == ["learning"]
    today = today_for(owner, plans.current_plan(owner), now=started + timedelta(minutes=5))
    assert (today.rounds_today, today.rounds_this_week) == (1, 1)


def test_a_saved_round_is_reviewed_by_the_plan_at_once(owner_client, owner):  # spec T6
    # The owner has moved on to basic training an hour ago; two rounds in a row that were too
    # hard must ease the plan as soon as the second one is saved, with no other page in between.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    plans.change_by_person(owner, lambda state, now: rules.override(state, rules.Override.MOVE_ON, now), an_hour_ago)
    hold_before = owner.plan.strength_hold_seconds
    strength = {"exercise": "E1", "planned_reps": 8, "achieved_reps": 8, "planned_squeeze_seconds": 4,
                "planned_rest_seconds": 6, "full_strength_reps": 8, "felt_lift": "yes"}
    for minutes_ago in (30, 10):
        started = timezone.now() - timedelta(minutes=minutes_ago)
        payload = a_round(stage="training", effort="too_hard", exercises=[strength], started_at=started.isoformat(),
                          ended_at=(started + timedelta(minutes=3)).isoformat())
        assert post_round(owner_client, payload).status_code == 201
    eased = PlanChange.objects.filter(profile=owner, reason=rules.Reason.EASED_AFTER_FAILURES.value)
    assert eased.count() == 1
    owner.plan.refresh_from_db()
    assert owner.plan.strength_hold_seconds == hold_before - 1


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
        ({"effort": "exhausting"}, "effort"),
        ({"stage": "juggling"}, "stage"),
        ({"exercises": [{"exercise": "E0", "planned_reps": 10, "achieved_reps": 3, "planned_squeeze_seconds": 3,
                         "planned_rest_seconds": 3, "felt_clearly": "maybe"}]}, "felt_clearly"),
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


def test_a_stranger_cannot_see_how_anothers_round_felt(owner_client, stranger_client):
    exercise = {**a_round()["exercises"][0], "felt_clearly": "yes"}
    payload = a_round(effort="easy", exercises=[exercise])
    post_round(owner_client, payload)
    mine = stranger_client.get(f"/api/rounds/{payload['id']}")
    assert mine.status_code == 404 and b"easy" not in mine.content
    assert stranger_client.get("/api/rounds").json() == []


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
