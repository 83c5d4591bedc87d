"""The person's rounds and bladder diary as CSV files for a spreadsheet.

Made for people rather than for another Knipa (that is the JSON export): headings and values are in
the person's language, times are local wall-clock times in their own zone, and the file starts with
a byte order mark so that Excel reads it as UTF-8 and shows Swedish letters correctly. Numbers and
columns are written the way the language's spreadsheets read them: where the decimal mark is a
comma (Swedish: 1,5), columns are separated by semicolons, as Excel and LibreOffice expect with
such a locale; otherwise 1.5 and commas. A time at
the calendar's very end (year 1 or 9999, stored before dates were checked) is written as the nearest
one that exists rather than failing the file (knipa.program.moments.local).
"""

from __future__ import annotations

import csv
import io

from django.utils import formats
from django.utils.translation import gettext as _

from knipa.accounts.models import Profile
from knipa.outcomes.models import DiaryEntry
from knipa.program.moments import local
from knipa.training.models import TrainingRound

BYTE_ORDER_MARK = "\ufeff"


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _felt(value: str) -> str:
    return {"yes": _("Yes"), "no": _("No"), "unsure": _("Unsure")}.get(value, "")


def _decimal_mark() -> str:
    """The active language's decimal mark ("," in Swedish, "." in English), never a thousands
    separator: a spreadsheet reads 1500 but may not read 1 500."""
    return formats.get_format("DECIMAL_SEPARATOR")


def _number(value: float | None) -> str:
    """4.0 as 4 and 4.25 as 4.25 (4,25 in Swedish): what a person would write."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return str(round(value, 2)).replace(".", _decimal_mark())


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    # With a decimal comma the spreadsheet's list separator is a semicolon.
    writer = csv.writer(out, delimiter=";" if _decimal_mark() == "," else ",", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return BYTE_ORDER_MARK + out.getvalue()


def rounds_csv(profile: Profile) -> str:
    """One row per exercise of every round, with the round's own columns repeated; a round without
    exercises (stopped at once) still has its row."""
    zone = profile.zone
    header = [_("Date"), _("Start"), _("End"), _("Time zone"), _("Training"), _("Position"), _("Outcome"),
              _("How it felt"), _("Exercise"), _("Squeezes planned"), _("Squeezes done"), _("Full strength"),
              _("Seconds to squeeze"), _("Seconds to rest"), _("Seconds held"), _("Caught again"),
              _("Felt the lift"), _("Felt squeeze and release clearly"), _("Pain"), _("Round")]
    rows = []
    rounds = TrainingRound.objects.filter(profile=profile).prefetch_related("exercises").order_by("started_at")
    for training_round in rounds:
        started, ended = local(training_round.started_at, zone), local(training_round.ended_at, zone)
        columns = [started.date().isoformat(), started.strftime("%H:%M:%S"), ended.strftime("%H:%M:%S"),
                   profile.time_zone, training_round.get_stage_display(), training_round.get_position_display(),
                   training_round.get_status_display(), training_round.get_effort_display()]
        records = list(training_round.exercises.all())
        for record in records:
            rows.append([*columns, record.name, record.planned_reps, record.achieved_reps,
                         _number(record.full_strength_reps), _number(record.planned_squeeze_seconds),
                         _number(record.planned_rest_seconds), _number(record.held_seconds), record.recatches,
                         _felt(record.felt_lift), _felt(record.felt_clearly), _yes_no(record.pain),
                         str(training_round.id)])
        if not records:
            rows.append([*columns, *[""] * 11, str(training_round.id)])
    return _csv(header, rows)


def diary_csv(profile: Profile) -> str:
    zone = profile.zone
    header = [_("Date"), _("Time"), _("Time zone"), _("What"), _("Drink"), _("Amount in millilitres"),
              _("Urge (0–3)"), _("It woke me up")]
    rows = []
    for entry in DiaryEntry.objects.filter(profile=profile).order_by("at", "id"):
        at = local(entry.at, zone)
        rows.append([at.date().isoformat(), at.strftime("%H:%M"), profile.time_zone, entry.get_kind_display(),
                     entry.get_drink_display(), _number(entry.volume_ml), _number(entry.urgency),
                     _yes_no(entry.woke_me)])
    return _csv(header, rows)
