"""`{{ moment|local:zone|date:"j F, H:i" }}`: a stored instant as the person's wall-clock time.

Django's `{% timezone %}` converts with `astimezone`, which fails (OverflowError, a 500) for an
instant near year 1 or 9999 in a zone far east or west; `local` never fails (knipa.program.moments)
and gives a naive time, which `date` formats as it is. For every template that shows a person's
moments: history, a round, the plan, home, the leak log, the diary.
"""

from __future__ import annotations

from datetime import datetime

from django import template

from knipa.program.moments import wall_clock

register = template.Library()


@register.filter(expects_localtime=False)
def local(moment, zone):
    if not isinstance(moment, datetime) or moment.tzinfo is None or zone is None:
        return moment
    return wall_clock(moment, zone)
