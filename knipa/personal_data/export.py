"""Owning the data: everything a person has in Knipa as one JSON file, and the import that restores
such a file into a new account, all or nothing.

The file says what it is (`format`, `version`) and holds the person's answers, plan, plan history,
rounds, reminder times, check-ins, leaks and bladder diary, with every instant in ISO 8601 with the
person's own offset. It holds nothing that identifies the account (no username, password or user
id), no push subscriptions (they belong to one browser) and not the calendar token (a secret).

An import is checked from top to bottom before anything is written (the schemas below: types,
choices, ranges, the plan's numbers by the plan's own safe bounds), goes only into an account
without training data, and is written in one transaction, so a refusal or a failure midway changes
nothing. Refusals are `ImportRefused` with a translated, plain message for the person.
"""

from __future__ import annotations

import json
import uuid
import zoneinfo
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic import ValidationError as SchemaError

from knipa.accounts.models import GOAL_CHOICES, Profile
from knipa.middleware import supported_languages
from knipa.outcomes.forms import SCALE, URGENCY_CHOICES, DiaryEntryForm
from knipa.outcomes.models import CheckIn, DiaryEntry, Leak
from knipa.program.exercises import ALL_EXERCISES
from knipa.program.plan import PARAMETER_BOUNDS, SIDE_PATHS, Felt, Movement, Reason, check_parameters
from knipa.program.rounds import MAIN_PATH, Stage
from knipa.reminders.models import ReminderSettings
from knipa.reminders.planning import replan
from knipa.training.models import ExerciseRecord, Plan, PlanChange, TrainingRound

FORMAT = "knipa-export"
VERSION = 1
MAX_BYTES = 5 * 1024 * 1024


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


def _aware_datetime(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("an instant needs its offset")
    return moment


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
Day = Annotated[str, AfterValidator(date.fromisoformat)]
DayText = Annotated[str, AfterValidator(lambda value: date.fromisoformat(value).isoformat())]
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
        return value.astimezone(zone).isoformat()
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
    return {
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
        "reminders": _row(reminders, RemindersData, zone) if reminders else None,
        "check_ins": [_row(entry, CheckInData, zone) for entry in CheckIn.objects.filter(profile=profile)
                      .order_by("at", "id")],
        "leaks": [_row(leak, LeakData, zone) for leak in Leak.objects.filter(profile=profile).order_by("at", "id")],
        "diary": [_row(entry, DiaryData, zone) for entry in DiaryEntry.objects.filter(profile=profile)
                  .order_by("at", "id")],
    }


def export_json(profile: Profile) -> str:
    return json.dumps(export_person(profile), ensure_ascii=False, indent=2)


# --- Import -----------------------------------------------------------------------------------

def read_export(uploaded) -> Any:
    """The JSON in an uploaded file; refused when it is too large or not JSON at all."""
    if uploaded.size > MAX_BYTES:
        raise ImportRefused(_("The file is larger than 5 MB, so it is not a Knipa export. Nothing was changed."))
    try:
        return json.loads(uploaded.read().decode("utf-8-sig"))
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
        raise ImportRefused(_("The file could not be imported because a value in it is not valid (at %(place)s). "
                              "Nothing was changed.") % {"place": _place(error.errors()[0])}) from None


def has_training_data(profile: Profile) -> bool:
    return any(related.filter(profile=profile).exists() for related in (
        TrainingRound.objects, CheckIn.objects, Leak.objects, DiaryEntry.objects))


def _refuse_if_not_new(profile: Profile) -> None:
    if has_training_data(profile):
        raise ImportRefused(_("Import only works into a new account, so nothing is mixed or lost. This account "
                              "already has training or notes of its own."))


def _values(part: _Part, *leave_out: str) -> dict:
    return {name: getattr(part, name) for name in _fields(type(part), *leave_out)}


def import_person(profile: Profile, data: Any) -> None:
    """Restore an export into this person's new account, all of it or (refused) nothing."""
    _refuse_if_not_new(profile)
    export = check_export(data)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        _refuse_if_not_new(profile)  # again, under the lock: two imports at once
        _restore_profile(profile, export.profile)
        _restore_plan(profile, export)
        _restore_rounds(profile, export.rounds)
        if export.reminders is not None:
            ReminderSettings.objects.update_or_create(profile=profile, defaults=_values(export.reminders))
        CheckIn.objects.bulk_create(CheckIn(profile=profile, **_values(entry)) for entry in export.check_ins)
        Leak.objects.bulk_create(Leak(profile=profile, **_values(leak)) for leak in export.leaks)
        DiaryEntry.objects.bulk_create(DiaryEntry(profile=profile, **_values(entry)) for entry in export.diary)
        replan(profile, timezone.now())


def _restore_profile(profile: Profile, answers: ProfileData) -> None:
    restored = _values(answers)
    if restored["onboarded_at"] is None:
        del restored["onboarded_at"]  # the person has onboarded here, whatever the file says
    for name, value in restored.items():
        setattr(profile, name, value)
    profile.save(update_fields=[*restored, "updated_at"])


def _restore_plan(profile: Profile, export: ExportFile) -> None:
    # A new account may have a fresh plan (and its "plan began"): the file's plan replaces it.
    Plan.objects.filter(profile=profile).delete()
    PlanChange.objects.filter(profile=profile).delete()
    if export.plan is not None:
        Plan.objects.create(profile=profile, **_values(export.plan))
    PlanChange.objects.bulk_create(PlanChange(profile=profile, **_values(change)) for change in export.plan_changes)


def _restore_rounds(profile: Profile, rounds: list[RoundData]) -> None:
    # A round id already in the database is someone else's round (this account has none): the
    # round is kept, under a new id.
    taken = set(TrainingRound.objects.filter(id__in=[r.id for r in rounds]).values_list("id", flat=True))
    stored = TrainingRound.objects.bulk_create(
        TrainingRound(profile=profile, **{**_values(r, "exercises"), "id": uuid.uuid4() if r.id in taken else r.id})
        for r in rounds
    )
    ExerciseRecord.objects.bulk_create(
        ExerciseRecord(training_round=training_round, **_values(record))
        for training_round, r in zip(stored, rounds, strict=True) for record in r.exercises
    )
