"""The progress page's charts, in the person's language: training days against the plan,
strength, endurance, leaks and the severity index, week by week (knipa.outcomes.charts draws).
The goal lines are the plan's own targets (knipa.program.plan: E1 hold and squeezes, E3 minute)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from knipa.outcomes.charts import Chart
from knipa.outcomes.models import CheckIn
from knipa.outcomes.progress import Week
from knipa.program.moments import local_date
from knipa.program.plan import TARGET_ENDURANCE_SECONDS, TARGET_HOLD_SECONDS, TARGET_REPS
from knipa.training import plans


def short_day(day) -> str:
    """A day with its month, short, as the active language writes it ("2 Dec", "2 dec", "2 mars").

    Django's "M" is the month's first three letters with a capital in every language, so a
    Swedish page read "2 Dec": the format is the language's own (Swedish: "j N")."""
    # Translators: a date format (Django's date filter): day and short month name, for chart axes.
    return formats.date_format(day, pgettext("date format", "j M"))


def progress_charts(profile, weeks: list[Week], check_ins: list[CheckIn]) -> list[Chart]:
    labels = [short_day(week.start) for week in weeks]
    week_heading = _("Week starting")
    state = plans.current_plan(profile)
    zone = profile.zone
    charts = [
        Chart(title=_("Training days per week"), kind="bar", labels=labels,
              values=[week.training_days for week in weeks], unit=_("days"), label_heading=week_heading,
              value_heading=_("Days with training"), target=state.parameters.days_per_week,
              target_label=_("Plan"), y_max=7,
              html_id="chart-days"),
        Chart(title=_("Strength: seconds held"), kind="line", labels=labels,
              values=[week.strength_hold for week in weeks], unit=_("s"), label_heading=week_heading,
              value_heading=_("Longest strength hold, seconds"), target=TARGET_HOLD_SECONDS, target_label=_("Goal"),
              html_id="chart-hold"),
        Chart(title=_("Strength: squeezes in a round"), kind="line", labels=labels,
              values=[week.strength_reps for week in weeks], unit=_("squeezes"), label_heading=week_heading,
              value_heading=_("Most strength squeezes done"), target=TARGET_REPS, target_label=_("Goal"),
              html_id="chart-reps"),
        Chart(title=_("Endurance: seconds held"), kind="line", labels=labels,
              values=[week.endurance_seconds for week in weeks], unit=_("s"), label_heading=week_heading,
              value_heading=_("Longest endurance hold, seconds"), target=TARGET_ENDURANCE_SECONDS,
              target_label=_("Goal"), html_id="chart-endurance"),
        Chart(title=_("Leaks per week"), kind="bar", labels=labels, values=[week.leaks for week in weeks],
              unit=_("leaks"), label_heading=week_heading, value_heading=_("Leaks noted"), html_id="chart-leaks"),
    ]
    if check_ins:
        charts.append(Chart(
            title=_("Leakage index (0–12)"), kind="line",
            labels=[short_day(local_date(c.at, zone)) for c in check_ins],
            values=[c.scores().index for c in check_ins], unit="", label_heading=_("Check-in"),
            value_heading=_("Index: how often × how much"), y_max=12, html_id="chart-index"))
    return charts
