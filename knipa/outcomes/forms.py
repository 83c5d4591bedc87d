"""Forms for check-ins, the leak log and the bladder diary. Every message is translated."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from knipa.outcomes.models import (AMOUNT_CHOICES, FREQUENCY_CHOICES, HOW_OFTEN_CHOICES, IMPROVEMENT_CHOICES,
                                   CheckIn, DiaryEntry)
from knipa.program import moments
from knipa.program.safety import Goal

SCALE = [(value, str(value)) for value in range(11)]


class ScaleField(forms.TypedChoiceField):
    """A 0-10 scale: a fieldset whose legend is the question, a row of eleven radio buttons shown
    as one segmented scale that wraps on a narrow phone, and what 0 and 10 mean written under it
    and tied to every button (aria-describedby), so a screen reader says it with each number."""

    def __init__(self, *, low: str, high: str, **kwargs):
        kwargs.setdefault("template_name", "outcomes/fields/scale.html")
        kwargs.setdefault("error_messages", {"required": _("Please choose a number from 0 to 10.")})
        super().__init__(choices=SCALE, coerce=int, widget=forms.RadioSelect, **kwargs)
        self.low, self.high = low, high


class StatementField(forms.BooleanField):
    """A statement the person ticks if it is true: the statement is the checkbox's own label (no
    colon, clickable), not a heading over a lone box."""

    def __init__(self, **kwargs):
        super().__init__(required=False, template_name="outcomes/fields/statement.html", **kwargs)


URGENCY_CHOICES = [
    ("", _("Not noted")), (0, _("0: no urge")), (1, _("1: a mild urge")), (2, _("2: a strong urge")),
    (3, _("3: could hardly hold it")),
]


class CheckInForm(forms.ModelForm):
    frequency = forms.TypedChoiceField(label=_("How often do you leak urine?"), choices=FREQUENCY_CHOICES, coerce=int,
                                       widget=forms.RadioSelect,
                                       error_messages={"required": _("Please choose one of the options.")})
    # Not required by the field itself: someone who never leaks has nothing to answer here, so
    # clean() asks for it only when the frequency is not "never" (a field's own required check
    # would run before clean() and refuse the empty answer).
    amount = forms.TypedChoiceField(label=_("How much do you usually lose each time?"), choices=AMOUNT_CHOICES,
                                    coerce=int, widget=forms.RadioSelect, required=False, empty_value=None)
    # Asked only of those who train for it (see __init__); may be left unanswered, as the goals
    # may have changed since onboarding and nothing here decides the plan.
    bowel_leaks = forms.TypedChoiceField(
        label=_("How often do you leak gas or stool without meaning to?"), choices=HOW_OFTEN_CHOICES, coerce=int,
        widget=forms.RadioSelect, required=False, empty_value=None)
    heaviness = forms.TypedChoiceField(
        label=_("How often do you feel heaviness, pressure or a bulge down below?"),
        help_text=_("For example a feeling that something presses down or comes out in the vagina or the "
                    "rectum, often worse at the end of the day."),
        choices=HOW_OFTEN_CHOICES, coerce=int, widget=forms.RadioSelect, required=False, empty_value=None)
    bother = ScaleField(label=_("How much do your symptoms bother you?"),
                        low=_("0 = not at all"), high=_("10 = very much"))
    confidence = ScaleField(label=_("How sure are you that you squeeze the right muscles the right way?"),
                            low=_("0 = not at all sure"), high=_("10 = completely sure"))
    avoids_activity = StatementField(label=_("Because of my symptoms I avoid physical activity or exercise"))
    avoids_friends = StatementField(label=_("Because of my symptoms I avoid meeting friends or going out"))
    avoids_sex = StatementField(label=_("Because of my symptoms I avoid sex"))
    # S1: pain reported here moves the plan to relaxation practice, as it does in a round.
    pain = forms.TypedChoiceField(
        label=_("Have you had pain in the genital area, or has it hurt when you squeeze, in the last weeks?"),
        help_text=_("If you answer yes, your plan changes to relaxation practice until the pain has gone."),
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        error_messages={"required": _("Please answer yes or no.")})
    improvement = forms.TypedChoiceField(
        label=_("Compared with before you started training, how are your symptoms now?"),
        choices=IMPROVEMENT_CHOICES, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Please choose one of the options.")})

    class Meta:
        model = CheckIn
        fields = ["frequency", "amount", "bowel_leaks", "heaviness", "bother", "confidence", "avoids_activity",
                  "avoids_friends", "avoids_sex", "pain", "improvement"]

    def __init__(self, *args, ask_improvement: bool, goals: frozenset[Goal] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_improvement:
            del self.fields["improvement"]  # PGI-I only from week four
        # The urine questions (the validated severity index) are asked of everyone: they feed the
        # progress chart and the seek-care rules, and "never" is one tap. The others fit the
        # reasons the person trains for.
        if Goal.FAECAL_LEAKAGE not in goals:
            del self.fields["bowel_leaks"]
        if Goal.PROLAPSE not in goals:
            del self.fields["heaviness"]

    def clean(self):
        cleaned = super().clean()
        never = cleaned.get("frequency") == 0
        if never:
            cleaned["amount"] = 0
        elif cleaned.get("amount") is None:
            if "frequency" in cleaned and "amount" not in self.errors:
                self.add_error("amount", _("Please choose one of the options."))
        elif cleaned.get("amount") == 0:
            self.add_error("amount", _("You said you leak sometimes: choose how much, even if it is only drops."))
        return cleaned


# Which of the diary's details fit each kind of line; the others are not shown and not kept.
FIELDS_FOR_KIND = {
    DiaryEntry.Kind.DRINK: {"drink", "volume_ml"},
    DiaryEntry.Kind.VOID: {"volume_ml", "urgency", "woke_me"},
    DiaryEntry.Kind.LEAK: {"urgency"},
    DiaryEntry.Kind.PAD: set(),
}
EMPTY = {"drink": "", "volume_ml": None, "urgency": None, "woke_me": False}


class DiaryEntryForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("What"), choices=DiaryEntry.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Please choose what happened.")})
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                           error_messages={"required": _("Please give the time."),
                                           "invalid": _("Please give a time like 08:00.")})
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"required": _("Please give the day."),
                                          "invalid": _("Please give a date like 2026-12-24.")})
    drink = forms.ChoiceField(label=_("Drink"), choices=[("", _("Not a drink"))] + list(DiaryEntry.Drink.choices),
                              required=False)
    volume_ml = forms.IntegerField(label=_("Amount in millilitres"), required=False, min_value=1, max_value=3000,
                                   help_text=_("For drinks and toilet visits, if you measured it."),
                                   error_messages={"min_value": _("The smallest amount is 1 ml."),
                                                   "max_value": _("The largest amount is 3000 ml."),
                                                   "invalid": _("Please give a whole number of millilitres.")})
    urgency = forms.TypedChoiceField(label=_("How strong was the urge?"), choices=URGENCY_CHOICES, required=False,
                                     coerce=int, empty_value=None)
    woke_me = StatementField(label=_("It woke me up"))

    class Meta:
        model = DiaryEntry
        fields = ["kind", "drink", "volume_ml", "urgency", "woke_me"]

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today  # the person's own date, in their time zone

    def clean_day(self):
        # A diary notes what happened: from 2000 (earlier is a slip, like year 1) until the person's
        # today, and a day more for a clock or a zone that runs ahead (knipa.program.moments).
        day = self.cleaned_data["day"]
        today = self.today or date.today()
        if day < moments.EARLIEST_DAY:
            raise forms.ValidationError(_("Please give a day in the year 2000 or later."))
        if not moments.day_in_range(day, today):
            raise forms.ValidationError(_("That day has not come yet. Note what has happened, on the day it happened."))
        return day

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind not in FIELDS_FOR_KIND:
            return cleaned
        # A detail that does not fit the kind (left filled in before the kind was changed, or sent
        # by a browser that showed every field) is neither checked nor kept.
        for name, empty in EMPTY.items():
            if name not in FIELDS_FOR_KIND[kind]:
                self.errors.pop(name, None)
                cleaned[name] = empty
        if kind == DiaryEntry.Kind.DRINK and not cleaned.get("drink"):
            self.add_error("drink", _("Choose what you drank."))
        return cleaned
