"""Owning the data: everything a person has in Knipa as one JSON file, and the import that restores
such a file into a new account, all or nothing.

The file says what it is (`format`, `version`) and holds the person's answers, plan, plan history,
rounds, reminder times, check-ins, leaks and bladder diary, and what they shared with clinicians
(shares, the access log, prescriptions: added by knipa.sharing through `accounts.models.exporting`,
kept in the file but never imported), with every instant in ISO 8601 with the person's own offset.
It holds nothing that identifies the account (no username, password or user id), no push
subscriptions (they belong to one browser) and not the calendar token (a secret).

An import is checked from top to bottom before anything is written (the schemas below: types,
choices, ranges, every date between 2000 and tomorrow (knipa.program.moments), the plan's numbers
by the plan's own safe bounds) and goes only into an account without training data. Refusals are
`ImportRefused` with a translated, plain message for the person.

A file may hold tens of thousands of rows, and one transaction writing them all would hold
SQLite's only write lock for seconds, failing everyone else's saves meanwhile. So the rows are
written in batches of a few hundred, each its own short transaction, and nothing is left half done:

1. a short transaction marks the account as importing (`PendingImport`);
2. rounds, check-ins, leaks, the diary and the plan's history go in, batch by batch;
3. a last short transaction writes the answers, the plan and the reminders, and removes the mark.

Until the mark is removed the import is not complete. If anything fails on the way, what was
written is deleted again (in batches too) before the person is told, so a failure changes nothing.
If the process dies midway, the mark stays: the data page says the import was cut off, the next
import clears it first, and the worker's hourly retention pass removes what it had written
(`discard_interrupted`). Deleting "what the import wrote" means all rounds, check-ins, leaks and
diary lines of the account, which had none before the import began (a note made in another tab
during the few seconds of an import that then fails goes with it).
"""

from __future__ import annotations

import json
import uuid
import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic import ValidationError as SchemaError

from knipa.accounts.emails import change_address
from knipa.accounts.models import GOAL_CHOICES, Profile, exporting
from knipa.accounts.pagecache import move_version_on
from knipa.middleware import json_holds_null_character, supported_languages
from knipa.outcomes.forms import SCALE, URGENCY_CHOICES, DiaryEntryForm
from knipa.outcomes.models import CheckIn, DiaryEntry, Leak
from knipa.personal_data.models import PendingImport
from knipa.program import moments
from knipa.program.exercises import ALL_EXERCISES, Position
from knipa.program.plan import PARAMETER_BOUNDS, SIDE_PATHS, Felt, Movement, Reason, check_parameters
from knipa.program.rounds import MAIN_PATH, Stage
from knipa.reminders.models import ReminderSettings
from knipa.reminders.planning import replan
from knipa.training import plans
from knipa.training.models import ExerciseRecord, Plan, PlanChange, TrainingRound

FORMAT = "knipa-export"
VERSION = 1
MAX_BYTES = 5 * 1024 * 1024
# Rows written per transaction: short enough that others' saves wait milliseconds, not seconds.
BATCH_ROWS = 500
# An import still marked as under way after this was cut off (a whole 5 MB file takes seconds).
STALE_AFTER = timedelta(minutes=30)


class ImportRefused(Exception):
    """The file cannot be imported; `message` says why, in the person's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- What a valid file holds ------------------------------------------------------------------

def _choice(model: type[models.Model], field_name: str, kind: type = str):
    """A value among the model field's own choices (and "" where the field may be blank)."""
    field = model._meta.get_field(field_name)
    allowed = {value for value, _label in field.flatchoices}
    if field.blank and kind is str:
        allowed.add("")

    def check(value):
        if value not in allowed:
            raise ValueError("not one of the choices")
        return value

    return Annotated[kind, AfterValidator(check)]


def _one_of(values) -> Any:
    allowed = set(values)

    def check(value):
        if value not in allowed:
            raise ValueError("not one of the choices")
        return value

    return Annotated[str, AfterValidator(check)]


class DateOutOfRange(ValueError):
    """A date before 2000 or in the future (knipa.program.moments): refused with its own message."""


def _out_of_range() -> DateOutOfRange:
    return DateOutOfRange("a date before 2000 or in the future")


def _aware_datetime(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("an instant needs its offset")
    if not moments.happened_in_range(moment, timezone.now()):
        raise _out_of_range()
    return moment


def _past_day(value: str) -> date:
    """A day something happened on (training began, a birth or operation), 2000 until tomorrow."""
    day = date.fromisoformat(value)
    if not moments.day_in_range(day, timezone.now().date()):
        raise _out_of_range()
    return day


def _quiet_day(value: str) -> str:
    """A day without reminders: from 2000 until a year ahead (past ones are kept, and unused)."""
    day = date.fromisoformat(value)
    today = timezone.now().date()
    if not (moments.EARLIEST_DAY <= day <= moments.shift(today, moments.PLANNED_AHEAD + moments.FUTURE_LEEWAY)):
        raise _out_of_range()
    return day.isoformat()


def _time_zone(value: str) -> str:
    if value not in zoneinfo.available_timezones():
        raise ValueError("unknown time zone")
    return value


def _language(value: str) -> str:
    if value not in supported_languages():
        raise ValueError("unsupported language")
    return value


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError as error:
            raise ValueError("not an e-mail address") from error
    return value


def _clock_time(value: str) -> str:
    return time.fromisoformat(value).strftime("%H:%M")


def _unique(values: list) -> list:
    if len(set(values)) != len(values):
        raise ValueError("a value is repeated")
    return values


Moment = Annotated[str, AfterValidator(_aware_datetime)]
Day = Annotated[str, AfterValidator(_past_day)]
DayText = Annotated[str, AfterValidator(_quiet_day)]
Small = Annotated[int, Field(ge=0, le=32767)]  # PositiveSmallIntegerField
Seconds = Annotated[float, Field(ge=0, le=24 * 3600)]
# The ranges the forms that wrote the values allow: 0-10 on a check-in's scales, an urge of 0-3 and
# 1-3000 ml in the diary.
Score = Annotated[int, Field(ge=SCALE[0][0], le=SCALE[-1][0])]
Urgency = Annotated[int, Field(ge=URGENCY_CHOICES[1][0], le=URGENCY_CHOICES[-1][0])]
_VOLUME = DiaryEntryForm.base_fields["volume_ml"]
Volume = Annotated[int, Field(ge=_VOLUME.min_value, le=_VOLUME.max_value)]
StageName = _one_of(stage.value for stage in Stage)
ParameterName = _one_of(PARAMETER_BOUNDS)
FeltAnswer = Literal[tuple(felt.value for felt in Felt)]  # "": not asked or not answered
SidePathName = Literal[("", *(stage.value for stage in SIDE_PATHS.values()))]  # "": on the main path


class _Part(BaseModel):
    # JSON's own types only (no "3" for 3, no 1 for true), no keys beyond these, no NaN.
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)


class ProfileData(_Part):
    language: Annotated[str, AfterValidator(_language)]
    body: _choice(Profile, "body")
    goals: Annotated[list[_one_of(value for value, _label in GOAL_CHOICES)], AfterValidator(_unique)]
    pain: bool | None
    recent_event: _choice(Profile, "recent_event")
    # The day of the birth or operation (S2, E7, V3); files from before it was asked have none.
    event_on: Day | None = None
    go_ahead: bool
    pregnant: bool | None
    time_zone: Annotated[str, AfterValidator(_time_zone)]
    onboarded_at: Moment | None


class PlanData(_Part):
    stage: _one_of(stage.value for stage in MAIN_PATH)
    side_path: SidePathName
    strength_hold_seconds: int
    strength_rest_seconds: int
    strength_reps: int
    strength_sets: int
    speed_reps: int
    endurance_target_seconds: int
    rounds_per_day: int
    days_per_week: int
    evidence_since: Moment
    stage_since: Moment
    training_started_on: Day | None
    self_check_done: bool
    satisfied: bool
    staying: bool
    careful: bool
    eased_at: Moment | None
    movements: Annotated[list[_one_of(movement.value for movement in Movement)], AfterValidator(_unique)]
    # A clinician's prescription kept fixed, and the positions it asked for; files from before
    # prescriptions have neither.
    numbers_fixed: bool = False
    positions: Annotated[list[_one_of(position.value for position in Position)], AfterValidator(_unique)] = []

    @model_validator(mode="after")
    def numbers_within_safe_bounds(self):
        if check_parameters({name: getattr(self, name) for name in PARAMETER_BOUNDS}):
            raise ValueError("the plan's numbers are outside the safe bounds")
        return self


class PlanChangeData(_Part):
    at: Moment
    reason: _one_of(reason.value for reason in Reason)
    source: _choice(PlanChange, "source")
    stage_before: StageName | Literal[""]
    stage_after: StageName
    parameters_before: dict[ParameterName, Small]
    parameters_after: dict[ParameterName, Small]


class ExerciseData(_Part):
    order: Small
    exercise: _one_of(ALL_EXERCISES)
    planned_reps: Small
    achieved_reps: Small
    planned_squeeze_seconds: Seconds
    planned_rest_seconds: Seconds
    held_seconds: Seconds | None
    recatches: Small
    full_strength_reps: Small | None
    felt_lift: FeltAnswer
    felt_clearly: FeltAnswer
    pain: bool


class RoundData(_Part):
    id: Annotated[str, AfterValidator(uuid.UUID)]
    stage: _choice(TrainingRound, "stage")
    position: _choice(TrainingRound, "position")
    status: _choice(TrainingRound, "status")
    effort: _choice(TrainingRound, "effort")
    started_at: Moment
    ended_at: Moment
    exercises: list[ExerciseData] = Field(max_length=50)

    @model_validator(mode="after")
    def consistent(self):
        if self.ended_at < self.started_at:
            raise ValueError("the round ends before it starts")
        if len({record.order for record in self.exercises}) != len(self.exercises):
            raise ValueError("two exercises in one place")
        return self


class RemindersData(_Part):
    times: Annotated[list[Annotated[str, AfterValidator(_clock_time)]], Field(max_length=24),
                     AfterValidator(_unique)]
    weekdays: Annotated[list[Annotated[int, Field(ge=0, le=6)]], AfterValidator(_unique)]
    quiet_dates: Annotated[list[DayText], Field(max_length=1000), AfterValidator(_unique)]
    paused: bool
    by_email: bool
    email: Annotated[str, Field(max_length=254), AfterValidator(_email)]


class CheckInData(_Part):
    at: Moment
    frequency: _choice(CheckIn, "frequency", int)
    amount: _choice(CheckIn, "amount", int)
    bother: Score
    confidence: Score
    avoids_activity: bool
    avoids_friends: bool
    avoids_sex: bool
    improvement: _choice(CheckIn, "improvement", int) | None
    pain: bool = False  # S1; files from before it was asked have none
    # Asked only of those who train for them; files from before they were asked have none.
    bowel_leaks: _choice(CheckIn, "bowel_leaks", int) | None = None
    heaviness: _choice(CheckIn, "heaviness", int) | None = None


class LeakData(_Part):
    at: Moment
    situation: _choice(Leak, "situation")
    amount: _choice(Leak, "amount")


class DiaryData(_Part):
    at: Moment
    kind: _choice(DiaryEntry, "kind")
    drink: _choice(DiaryEntry, "drink")
    volume_ml: Volume | None
    urgency: Urgency | None
    woke_me: bool


Name = Annotated[str, Field(max_length=200)]


class ShareData(_Part):
    """A consent to share with a clinician (knipa.sharing): in the file for the person to keep,
    never imported, since a share is between this Knipa's clinician and this account."""

    clinician: Name
    clinic: Name
    scopes: list[Annotated[str, Field(max_length=32)]] = Field(max_length=10)
    label: Annotated[str, Field(max_length=80)] = ""  # absent in files made before names were asked
    started_at: Moment
    stopped_at: Moment | None
    stopped_by: Literal["", "person", "clinician"]


class AccessData(_Part):
    """One row of the access log: who looked at what, and when (never imported)."""

    at: Moment
    clinician: Name
    clinic: Name
    what: Annotated[str, Field(max_length=32)]


class PrescriptionData(_Part):
    """Numbers a clinician suggested, and the person's answer (never imported; an accepted one is in
    the plan's history)."""

    created_at: Moment
    clinician: Name
    clinic: Name
    parameters: dict[Annotated[str, Field(max_length=40)], int | str | list[Annotated[str, Field(max_length=20)]]]
    note: Annotated[str, Field(max_length=5000)]
    mode: Literal["fixed", "starting_point"]
    status: Literal["pending", "accepted", "declined", "withdrawn"]
    decided_at: Moment | None


class ExportFile(_Part):
    format: Literal["knipa-export"]
    version: Literal[1]
    exported_at: Moment
    profile: ProfileData
    plan: PlanData | None
    plan_changes: list[PlanChangeData]
    rounds: list[RoundData]
    reminders: RemindersData | None
    check_ins: list[CheckInData]
    leaks: list[LeakData]
    diary: list[DiaryData]
    # Sharing with clinicians (knipa.sharing): kept in the file, never imported (a new account starts
    # with no shares); files from before sharing have none.
    shares: list[ShareData] = []
    access_log: list[AccessData] = []
    prescriptions: list[PrescriptionData] = []

    @model_validator(mode="after")
    def one_round_per_id(self):
        if len({training_round.id for training_round in self.rounds}) != len(self.rounds):
            raise ValueError("two rounds with the same id")
        return self


def _fields(part: type[_Part], *leave_out: str) -> list[str]:
    return [name for name in part.model_fields if name not in leave_out]


# --- Export -----------------------------------------------------------------------------------

def _plain(value, zone: zoneinfo.ZoneInfo):
    """A stored value as JSON has it: instants in the person's zone with the offset."""
    if isinstance(value, datetime):
        # Never fails, whatever is stored: a moment at the calendar's very end (year 1 or 9999)
        # becomes the nearest one that exists in the person's zone (knipa.program.moments).
        return moments.local(value, zone).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _row(instance: models.Model, part: type[_Part], zone: zoneinfo.ZoneInfo, *leave_out: str) -> dict:
    return {name: _plain(getattr(instance, name), zone) for name in _fields(part, *leave_out)}


def export_person(profile: Profile, now: datetime | None = None) -> dict:
    """Everything the person has, as one JSON-ready dict (see the module's first lines)."""
    zone = profile.zone
    plan = Plan.objects.filter(profile=profile).first()
    reminders = ReminderSettings.objects.filter(profile=profile).first()
    rounds = TrainingRound.objects.filter(profile=profile).prefetch_related("exercises").order_by("started_at",
                                                                                                  "ended_at")
    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _plain(now or timezone.now(), zone),
        "profile": _row(profile, ProfileData, zone),
        "plan": _row(plan, PlanData, zone) if plan else None,
        "plan_changes": [_row(change, PlanChangeData, zone)
                         for change in PlanChange.objects.filter(profile=profile).order_by("at", "id")],
        "rounds": [
            {**_row(training_round, RoundData, zone, "exercises"),
             "exercises": [_row(record, ExerciseData, zone) for record in training_round.exercises.all()]}
            for training_round in rounds
        ],
        # The address is the account's (knipa.accounts.emails), not the reminders' old column.
        "reminders": {**_row(reminders, RemindersData, zone), "email": profile.user.email} if reminders else None,
        "check_ins": [_row(entry, CheckInData, zone) for entry in CheckIn.objects.filter(profile=profile)
                      .order_by("at", "id")],
        "leaks": [_row(leak, LeakData, zone) for leak in Leak.objects.filter(profile=profile).order_by("at", "id")],
        "diary": [_row(entry, DiaryData, zone) for entry in DiaryEntry.objects.filter(profile=profile)
                  .order_by("at", "id")],
        "shares": [],
        "access_log": [],
        "prescriptions": [],
    }
    # The rooms beside this one add their sections (knipa.sharing: shares, access log, prescriptions).
    for _receiver, sections in exporting.send(sender=Profile, profile=profile, zone=zone):
        data.update(sections)
    return data


def export_json(profile: Profile) -> str:
    return json.dumps(export_person(profile), ensure_ascii=False, indent=2)


# --- Import -----------------------------------------------------------------------------------

def read_export(uploaded) -> Any:
    """The JSON in an uploaded file; refused when it is too large or not JSON at all."""
    if uploaded.size > MAX_BYTES:
        raise ImportRefused(_("The file is larger than 5 MB, so it is not a Knipa export. Nothing was changed."))
    raw = uploaded.read()
    if json_holds_null_character(raw):
        # PostgreSQL keeps no null character in text (knipa/middleware.py); refused before any row.
        raise ImportRefused(_("This file contains a null character, which no Knipa export has. Choose the "
                              ".json file you downloaded from “Your data”. Nothing was changed."))
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ImportRefused(_("This file is not a Knipa export: it does not contain JSON. Choose the .json file "
                              "you downloaded from “Your data”. Nothing was changed.")) from None


def _place(error: dict) -> str:
    """Where in the file a problem is, readably: "rounds 3, exercises 2, felt_lift" (counting from 1).

    Pydantic's locations also name the branches of a union ("str", "function-after[...]"); only the
    file's own keys and positions are shown, and a key the file should not have.
    """
    keys = {name for part in _Part.__subclasses__() for name in part.model_fields}
    location = error["loc"]
    words: list[str] = []
    for index, part in enumerate(location):
        if isinstance(part, int) and words:
            words[-1] += f" {part + 1}"
        elif part in keys or (error["type"] == "extra_forbidden" and index == len(location) - 1):
            words.append(str(part)[:40])
    return ", ".join(words) or _("the whole file")


def check_export(data: Any) -> ExportFile:
    """The file as the schemas read it; refused with a plain message wherever something is wrong."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused(_("This file is not a Knipa export. Choose the .json file you downloaded from “Your "
                              "data”. Nothing was changed."))
    version = data.get("version")
    if version != VERSION or isinstance(version, bool):
        raise ImportRefused(_("This export comes from a version of Knipa that this one cannot read (version "
                              "%(version)s). Nothing was changed.") % {"version": str(version)[:20]})
    try:
        return ExportFile.model_validate(data)
    except SchemaError as error:
        first = error.errors()[0]
        if isinstance(first.get("ctx", {}).get("error"), DateOutOfRange):
            raise ImportRefused(_("The file could not be imported because a date in it is before the year 2000 or "
                                  "in the future (at %(place)s). Nothing was changed.")
                                % {"place": _place(first)}) from None
        raise ImportRefused(_("The file could not be imported because a value in it is not valid (at %(place)s). "
                              "Nothing was changed.") % {"place": _place(first)}) from None


def has_training_data(profile: Profile) -> bool:
    return any(related.filter(profile=profile).exists() for related in (
        TrainingRound.objects, CheckIn.objects, Leak.objects, DiaryEntry.objects))


def import_state(profile: Profile, now: datetime | None = None) -> str:
    """"" (no import under way), "under_way" or "interrupted" (cut off; cleared by the next import
    or the worker's retention pass). Only reads."""
    pending = PendingImport.objects.filter(profile=profile).values_list("started_at", flat=True).first()
    if pending is None:
        return ""
    return "interrupted" if pending < (now or timezone.now()) - STALE_AFTER else "under_way"


def _refuse_if_not_new(profile: Profile) -> None:
    if PendingImport.objects.filter(profile=profile).exists():
        raise ImportRefused(_("An import into this account is already under way. Wait a minute, then open “Your "
                              "data” again."))
    if has_training_data(profile):
        raise ImportRefused(_("Import only works into a new account, so nothing is mixed or lost. This account "
                              "already has training or notes of its own."))


def _values(part: _Part, *leave_out: str) -> dict:
    return {name: getattr(part, name) for name in _fields(type(part), *leave_out)}


def import_person(profile: Profile, data: Any) -> None:
    """Restore an export into this person's new account, all of it or (refused, failed) nothing.

    Written in batches, each its own short transaction (see the module's first lines)."""
    now = timezone.now()
    if import_state(profile, now) == "interrupted":
        discard(profile)  # an earlier import was cut off: its rows go before this one begins
    _refuse_if_not_new(profile)
    export = check_export(data)
    _begin(profile, now)
    try:
        _write_rows(profile, export)
        _finish(profile, export)
    except BaseException:
        discard(profile)
        raise


def _begin(profile: Profile, now: datetime) -> None:
    """Mark the account as importing, in one short transaction."""
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        _refuse_if_not_new(profile)  # again, under the lock: two imports at once
        if profile.onboarded_at is not None and not Plan.objects.filter(profile=profile).exists():
            plans.refresh(profile, now)  # the plan it has anyway, now, rather than the worker's midway
        # The worker reviews plans not reviewed for a day: this one it leaves alone until the import
        # has replaced it, so no review of half the imported rounds lands in the imported history.
        Plan.objects.filter(profile=profile).update(reviewed_at=now)
        PendingImport.objects.create(profile=profile, started_at=now, kept_plan_changes=list(
            PlanChange.objects.filter(profile=profile).values_list("id", flat=True)))


def _batch_written() -> None:
    """Called after each batch has committed (tests look between batches here)."""


def _in_batches(model: type[models.Model], rows) -> None:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            _write(model, batch)
            batch = []
    if batch:
        _write(model, batch)


def _write(model: type[models.Model], rows: list) -> None:
    with transaction.atomic():
        model.objects.bulk_create(rows)
    _batch_written()


def _write_rows(profile: Profile, export: ExportFile) -> None:
    """The many rows, a batch per transaction; the account's own plan history is replaced at the end."""
    _write_rounds(profile, export.rounds)
    _in_batches(CheckIn, (CheckIn(profile=profile, **_values(entry)) for entry in export.check_ins))
    _in_batches(Leak, (Leak(profile=profile, **_values(leak)) for leak in export.leaks))
    _in_batches(DiaryEntry, (DiaryEntry(profile=profile, **_values(entry)) for entry in export.diary))
    _in_batches(PlanChange, (PlanChange(profile=profile, **_values(change)) for change in export.plan_changes))


def _write_rounds(profile: Profile, rounds: list[RoundData]) -> None:
    # A round id already in the database is someone else's round (this account has none): the
    # round is kept, under a new id.
    taken = set()
    for start in range(0, len(rounds), BATCH_ROWS):
        ids = [r.id for r in rounds[start:start + BATCH_ROWS]]
        taken.update(TrainingRound.objects.filter(id__in=ids).values_list("id", flat=True))
    batch: list[tuple[TrainingRound, RoundData]] = []
    rows = 0
    for r in rounds:
        batch.append((TrainingRound(profile=profile, **{**_values(r, "exercises"),
                                                         "id": uuid.uuid4() if r.id in taken else r.id}), r))
        rows += 1 + len(r.exercises)
        if rows >= BATCH_ROWS:
            _write_round_batch(batch)
            batch, rows = [], 0
    if batch:
        _write_round_batch(batch)


def _write_round_batch(batch: list[tuple[TrainingRound, RoundData]]) -> None:
    with transaction.atomic():
        stored = TrainingRound.objects.bulk_create([training_round for training_round, _r in batch])
        ExerciseRecord.objects.bulk_create(
            ExerciseRecord(training_round=training_round, **_values(record))
            for training_round, (_unsaved, r) in zip(stored, batch, strict=True) for record in r.exercises
        )
    _batch_written()


def _finish(profile: Profile, export: ExportFile) -> None:
    """The answers, the plan and the reminders, and the mark removed: the import is complete."""
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        pending = PendingImport.objects.filter(profile=profile).first()
        if pending is None:  # taken for cut off and cleared meanwhile
            raise ImportRefused(_("The import was interrupted, so nothing was imported. Please try again."))
        _restore_profile(profile, export.profile)
        # A new account may have a fresh plan (and its "plan began"): the file's plan replaces it.
        Plan.objects.filter(profile=profile).delete()
        PlanChange.objects.filter(pk__in=pending.kept_plan_changes).delete()
        if export.plan is not None:
            Plan.objects.create(profile=profile, **_values(export.plan))
        if export.reminders is not None:
            ReminderSettings.objects.update_or_create(profile=profile, defaults=_values(export.reminders, "email"))
            if export.reminders.email and not profile.user.email:
                # The new account takes the address, unconfirmed: no mail until its owner confirms it.
                change_address(profile, export.reminders.email)
        pending.delete()
        replan(profile, timezone.now())


def discard(profile: Profile) -> None:
    """Delete what an import that did not complete has written, in batches, then its mark: the
    account is as it was before (its own plan and plan history were never touched)."""
    pending = PendingImport.objects.filter(profile=profile).first()
    if pending is None:
        return
    kept = pending.kept_plan_changes
    for rows in (TrainingRound.objects.filter(profile=profile), CheckIn.objects.filter(profile=profile),
                 Leak.objects.filter(profile=profile), DiaryEntry.objects.filter(profile=profile),
                 PlanChange.objects.filter(profile=profile).exclude(pk__in=kept)):
        while True:
            with transaction.atomic():
                ids = list(rows.values_list("pk", flat=True)[:BATCH_ROWS])
                rows.model.objects.filter(pk__in=ids).delete()
            if len(ids) < BATCH_ROWS:
                break
    PendingImport.objects.filter(pk=pending.pk).delete()
    move_version_on(profile.pk)


def discard_interrupted(now: datetime, limit: int = 5) -> int:
    """The worker's retention pass: remove imports cut off midway (see the module's first lines)."""
    stale = list(PendingImport.objects.filter(started_at__lt=now - STALE_AFTER).select_related("profile")[:limit])
    for pending in stale:
        discard(pending.profile)
    return len(stale)


def _restore_profile(profile: Profile, answers: ProfileData) -> None:
    restored = _values(answers)
    if restored["onboarded_at"] is None:
        del restored["onboarded_at"]  # the person has onboarded here, whatever the file says
    for name, value in restored.items():
        setattr(profile, name, value)
    profile.save(update_fields=[*restored, "updated_at"])
