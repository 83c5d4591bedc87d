"""How long something took, in the parts a person reads: "6 s", "1 min 30 s", "2 min", "1 h 5 min".

Pure arithmetic; the words are added where the text is translated
(knipa/training/templatetags/durations.py). A zero part is left out, so no "0 min 6 s"
(issue 15, item 11b)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Duration:
    hours: int
    minutes: int
    seconds: int


def split(seconds: float | int | None) -> Duration:
    """Whole hours, minutes and seconds (rounded to the nearest second; never negative)."""
    total = max(0, round(seconds or 0))
    hours, rest = divmod(total, 3600)
    minutes, seconds_left = divmod(rest, 60)
    return Duration(hours, minutes, seconds_left)
