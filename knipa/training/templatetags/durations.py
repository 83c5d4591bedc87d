"""`{{ seconds|duration }}`: how long something took, said naturally ("6 s", "1 min 30 s", "2 min").

One helper for every page that shows a length of time (history, a round, the summary), so that no
page says "0 min 6 s" (issue 15, item 11b). The arithmetic is knipa.program.durations."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from knipa.program import timeline
from knipa.program.durations import split

register = template.Library()


@register.filter
def duration(seconds) -> str:
    try:
        parts = split(float(seconds))
    except (TypeError, ValueError):
        return ""
    words = []
    if parts.hours:
        words.append(_("%(hours)d h") % {"hours": parts.hours})
    if parts.minutes:
        words.append(_("%(minutes)d min") % {"minutes": parts.minutes})
    if parts.seconds or not words:
        words.append(_("%(seconds)d s") % {"seconds": parts.seconds})
    return " ".join(words)


@register.simple_tag
def stage_round_minutes(stage: str) -> int:
    """`{% stage_round_minutes "daily_life" as minutes %}`: the one promise of a round's length
    (knipa.program.timeline.round_minutes) for a stage's round, where the view gives none."""
    return timeline.stage_round_minutes(stage)
