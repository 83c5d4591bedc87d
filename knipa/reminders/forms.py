"""Forms for the reminders page. Every message is translated."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from knipa.program.moments import planned_day_in_range
from knipa.program.plan import PARAMETER_BOUNDS

WEEKDAY_CHOICES = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]


class ScheduleForm(forms.Form):
    """As many times as the plan has rounds a day, and the days the person trains on: any number of
    them within the plan's safe bounds (1-7). Choosing more or fewer days than the plan has changes
    the plan's days a week (knipa.training.plans.choose_days_per_week, by the view); the rounds a
    day stay the plan's (H1: reminders on the days that suit the person)."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("On which days?"), choices=WEEKDAY_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one day.")},
    )

    def __init__(self, *args, rounds_per_day: int, days_per_week: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.days_per_week = days_per_week
        for index in range(rounds_per_day):
            self.fields[f"time_{index}"] = forms.TimeField(
                label=_("Reminder %(number)d") % {"number": index + 1},
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                error_messages={"required": _("Please choose a time."), "invalid": _("Please give a time like 08:00.")},
            )
        self.fields["weekdays"].help_text = ngettext(
            "Your plan has one training day a week right now. Choose the days that suit you: if you choose "
            "more or fewer, your plan changes to that many days a week.",
            "Your plan has %(count)d training days a week right now. Choose the days that suit you: if you "
            "choose more or fewer, your plan changes to that many days a week.", days_per_week) % {"count": days_per_week}
        # The times first, then the days.
        self.order_fields([f"time_{index}" for index in range(rounds_per_day)] + ["weekdays"])

    def time_fields(self):
        return [self[name] for name in self.fields if name.startswith("time_")]

    def clean(self):
        cleaned = super().clean()
        times = [cleaned[name] for name in self.fields if name.startswith("time_") and cleaned.get(name)]
        if len(set(times)) != len(times):
            raise forms.ValidationError(_("Choose a different time for each reminder."))
        weekdays = cleaned.get("weekdays")
        low, high = PARAMETER_BOUNDS["days_per_week"]
        if weekdays is not None:
            weekdays = sorted(set(weekdays))
            cleaned["weekdays"] = weekdays
            if not low <= len(weekdays) <= high:  # the choices already keep it to 7; one at least
                self.add_error("weekdays", _("Please choose at least one day."))
        return cleaned

    def days_changed(self) -> bool:
        """Whether the chosen days are more or fewer than the plan's days a week."""
        return len(self.cleaned_data["weekdays"]) != self.days_per_week


class EmailRemindersForm(forms.Form):
    """Reminders by e-mail, and the address they go to. The address is the person's account
    address (knipa.accounts.emails): a new one gets a confirmation link, and reminders go to it only
    after its owner has opened that link."""

    email = forms.EmailField(
        label=_("E-mail address"), required=False, max_length=254,  # as the account's address (User.email)
        help_text=_("We first send a link to this address. Reminders go there only after you have opened it."),
        error_messages={"invalid": _("Please give a valid e-mail address.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    by_email = forms.BooleanField(label=_("Send reminders by e-mail"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("by_email") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Give the address the reminders should go to."))
        return cleaned


class QuietDayForm(forms.Form):
    day = forms.DateField(label=_("A day without reminders"), widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"required": _("Please choose a day."),
                                          "invalid": _("Please give a date like 2026-12-24.")})

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < self.today:
            raise forms.ValidationError(_("That day has already passed."))
        if not planned_day_in_range(day, self.today):
            # A year ahead is plenty for a holiday (and keeps year 9999 out: knipa.program.moments).
            raise forms.ValidationError(_("Choose a day within a year from today."))
        return day
