"""An import is written in short batches, never one long transaction, and is never left half done
(review finding 4): a failure midway deletes what was written, an import cut off by a dying
process is shown as such and removed by the worker, and an import under way keeps a second out."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from knipa.accounts.models import Profile
from knipa.outcomes.models import CheckIn, DiaryEntry, Leak
from knipa.personal_data import export
from knipa.personal_data.export import ImportRefused, import_person
from knipa.personal_data.models import PendingImport
from knipa.reminders import retention
from knipa.training.models import ExerciseRecord, Plan, PlanChange, TrainingRound
from tests.conftest import make_person
from tests.personal_data.test_data_export import exported, exported_once, give_everything, snapshot  # noqa: F401

DIARY_LINES = 1300
ROUND_COPIES = 400


def grown(data: dict) -> dict:
    """The owner's export with a long diary and many rounds: thousands of rows."""
    data = copy.deepcopy(data)
    line = data["diary"][0]
    start = timezone.now() - timedelta(days=300)
    data["diary"] = [{**line, "at": (start + timedelta(minutes=10 * n)).isoformat()} for n in range(DIARY_LINES)]
    template = data["rounds"][0]
    data["rounds"] = [
        {**copy.deepcopy(template), "id": f"00000000-0000-4000-8000-{n:012d}",
         "started_at": (start + timedelta(hours=n)).isoformat(),
         "ended_at": (start + timedelta(hours=n, minutes=5)).isoformat()}
        for n in range(ROUND_COPIES)
    ]
    return data


@pytest.fixture
def newcomer(db) -> Profile:
    from knipa.training import plans

    person = make_person("newcomer", goals=["prevent"], language="en")
    plans.refresh(person)
    return person


@pytest.mark.django_db(transaction=True)
def test_a_large_import_commits_batch_by_batch_and_no_transaction_spans_two(exported, monkeypatch):  # noqa: F811
    from knipa.training import plans

    newcomer = make_person("newcomer", goals=["prevent"], language="en")
    plans.refresh(newcomer)
    seen = []

    def between_batches():
        # Nothing is held open between batches: another writer gets its turn here, as this one does.
        seen.append(connection.in_atomic_block)
        Leak.objects.create(profile=make_person(f"other-{len(seen)}"), at=timezone.now(), situation="cough")

    monkeypatch.setattr(export, "_batch_written", between_batches)
    data = grown(exported)
    import_person(newcomer, data)
    rows = len(data["rounds"]) + sum(len(r["exercises"]) for r in data["rounds"]) + DIARY_LINES
    assert len(seen) >= rows // export.BATCH_ROWS
    assert not any(seen), "a batch was written inside a longer transaction"
    assert DiaryEntry.objects.filter(profile=newcomer).count() == DIARY_LINES
    assert TrainingRound.objects.filter(profile=newcomer).count() == ROUND_COPIES
    assert not PendingImport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_no_batch_holds_more_than_a_few_hundred_rows(exported, monkeypatch):  # noqa: F811
    newcomer = make_person("newcomer", goals=["prevent"], language="en")
    sizes = []
    original = export._write

    def counting(model, rows):
        sizes.append(len(rows))
        return original(model, rows)

    monkeypatch.setattr(export, "_write", counting)
    import_person(newcomer, grown(exported))
    assert max(sizes) <= export.BATCH_ROWS


@pytest.mark.django_db
def test_a_failure_halfway_leaves_no_half_import(newcomer, exported, monkeypatch):  # noqa: F811
    batches = []

    def fails_at_the_third():
        batches.append(1)
        if len(batches) == 3:
            raise RuntimeError("the disk is full")

    monkeypatch.setattr(export, "_batch_written", fails_at_the_third)
    before = snapshot(newcomer)
    with pytest.raises(RuntimeError):
        import_person(newcomer, grown(exported))
    assert snapshot(newcomer) == before
    assert not PendingImport.objects.exists()
    assert not ExerciseRecord.objects.filter(training_round__profile=newcomer).exists()
    # And the same file goes in completely the next time.
    monkeypatch.setattr(export, "_batch_written", lambda: None)
    import_person(newcomer, grown(exported))
    assert DiaryEntry.objects.filter(profile=newcomer).count() == DIARY_LINES


def cut_off(newcomer: Profile, exported: dict, monkeypatch, minutes_ago: int) -> None:  # noqa: F811
    """An import whose process died after a few batches: rows written, the mark left behind."""

    class ProcessDied(BaseException):
        pass

    calls = []

    def dies():
        calls.append(1)
        if len(calls) == 2:
            raise ProcessDied

    monkeypatch.setattr(export, "_batch_written", dies)
    monkeypatch.setattr(export, "discard", lambda profile: None)  # a dead process cleans nothing up
    with pytest.raises(ProcessDied):
        import_person(newcomer, grown(exported))
    monkeypatch.undo()
    PendingImport.objects.filter(profile=newcomer).update(started_at=timezone.now() - timedelta(minutes=minutes_ago))


@pytest.mark.django_db
def test_an_import_cut_off_midway_is_shown_and_removed_by_the_worker(newcomer, exported, client_factory,
                                                                    monkeypatch):  # noqa: F811
    own_changes = set(PlanChange.objects.filter(profile=newcomer).values_list("id", flat=True))
    cut_off(newcomer, exported, monkeypatch, minutes_ago=45)
    assert TrainingRound.objects.filter(profile=newcomer).exists()
    client = client_factory(newcomer.user)
    client.cookies["knipa_language"] = "en"
    assert "was cut off before it was complete" in client.get(reverse("data:page")).content.decode()

    retention.sweep(timezone.now())

    assert not PendingImport.objects.exists()
    for model in (TrainingRound, CheckIn, Leak, DiaryEntry):
        assert not model.objects.filter(profile=newcomer).exists(), model
    assert set(PlanChange.objects.filter(profile=newcomer).values_list("id", flat=True)) == own_changes
    assert Plan.objects.filter(profile=newcomer).exists()


@pytest.mark.django_db
def test_a_new_import_clears_one_that_was_cut_off_first(newcomer, exported, monkeypatch):  # noqa: F811
    cut_off(newcomer, exported, monkeypatch, minutes_ago=45)
    import_person(newcomer, exported)
    assert TrainingRound.objects.filter(profile=newcomer).count() == len(exported["rounds"])
    assert not PendingImport.objects.exists()


@pytest.mark.django_db
def test_an_import_under_way_keeps_a_second_one_out_and_the_worker_leaves_it(newcomer, exported,
                                                                            client_factory,
                                                                            monkeypatch):  # noqa: F811
    cut_off(newcomer, exported, monkeypatch, minutes_ago=1)  # as good as under way, seen from elsewhere
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        import_person(newcomer, exported)
    assert "already under way" in refused.value.message
    retention.sweep(timezone.now())
    assert PendingImport.objects.filter(profile=newcomer).exists()
    client = client_factory(newcomer.user)
    client.cookies["knipa_language"] = "en"
    assert "An import into this account is under way" in client.get(reverse("data:page")).content.decode()


@pytest.mark.django_db
def test_the_worker_leaves_complete_imports_and_other_people_alone(newcomer, exported, owner):  # noqa: F811
    give_everything(owner)
    import_person(newcomer, exported)
    before = (TrainingRound.objects.count(), DiaryEntry.objects.count(), PlanChange.objects.count())
    retention.sweep(timezone.now() + timedelta(hours=2))
    assert (TrainingRound.objects.count(), DiaryEntry.objects.count(), PlanChange.objects.count()) == before


@pytest.mark.django_db
def test_an_upload_of_a_large_export_through_the_page_is_complete(newcomer, exported, client_factory):  # noqa: F811
    client = client_factory(newcomer.user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = grown(exported)
    response = client.post(reverse("data:page"), {"file": SimpleUploadedFile(
        "knipa.json", json.dumps(data).encode(), content_type="application/json")})
    assert response.status_code == 302
    assert DiaryEntry.objects.filter(profile=newcomer).count() == DIARY_LINES
