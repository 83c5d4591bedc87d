"""Small progress charts: an inline SVG bar or line chart, with the same numbers as a table.

No chart library and no JavaScript: the geometry is computed here and the SVG is built with
ElementTree, which escapes every text and attribute. The SVG is inline, so the page's CSS colours
it through classes (pages.css, "Charts"); there are no style attributes, as the CSP forbids them.
Render a chart with `{% include "includes/chart.html" with chart=chart %}`, which adds a
"Show as a table" disclosure holding the numbers for anyone who cannot see the picture.

The y axis always starts at zero (counts, seconds and the 0-12 severity index are never
negative); a value above `y_max` is drawn at the top and still shown as it is in the table.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# The viewBox is about as wide as a phone's content column (some 280 px on a 360 px screen), so
# 15 units of text come out at 14 px there; pages.css caps the width so it does not balloon on a desk.
WIDTH, HEIGHT = 300, 190
LEFT, RIGHT, TOP, BOTTOM = 38, 12, 26, 30
FONT_SIZE = 15
MOST_X_LABELS = 8
MOST_Y_INTERVALS = 6


def format_number(value: float) -> str:
    """A number as the active language writes it, with at most one decimal ("12", "12,5")."""
    # Half up, as people round (12.25 -> 12.3), not Python's half to even.
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return number_format(int(rounded))
    return number_format(rounded, decimal_pos=1)


def y_axis(highest: float, all_whole: bool, y_max: float | None = None) -> tuple[float, list[float]]:
    """The top of the y axis and its ticks: round steps of 1, 2 or 5 times a power of ten."""
    top = y_max if y_max and y_max > 0 else (highest if highest > 0 else 1)
    magnitude = 10 ** math.floor(math.log10(top / MOST_Y_INTERVALS))
    step = next(f * magnitude for f in (1, 2, 5, 10) if top / (f * magnitude) <= MOST_Y_INTERVALS + 1e-9)
    if all_whole:
        step = max(step, 1)  # no "0.5 days" on an axis of counts
    if not y_max or y_max <= 0:
        top = math.ceil(top / step - 1e-9) * step
    ticks = [round(i * step, 9) for i in range(int(top / step + 1e-9) + 1)]
    return top, ticks


def thinned_indices(labels: list[str], width: float = WIDTH - LEFT - RIGHT) -> list[int]:
    """Which x labels fit side by side, counted back from the latest so it is always shown."""
    if not labels:
        return []
    widest = max(len(label) for label in labels) * FONT_SIZE * 0.6 + FONT_SIZE * 0.6
    fitting = max(2, min(MOST_X_LABELS, int(width // widest)))
    step = max(1, math.ceil(len(labels) / fitting))
    return [i for i in range(len(labels)) if (len(labels) - 1 - i) % step == 0]


def _coordinate(value: float) -> str:
    return format(round(value, 1), "g")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    """A child element; numbers rounded to a tenth, `text_anchor` written `text-anchor`, `class_` `class`."""
    element = ET.SubElement(parent, tag, {
        name.rstrip("_").replace("_", "-"): _coordinate(value) if isinstance(value, (int, float)) else value
        for name, value in attributes.items()
    })
    element.text = text
    return element


@dataclass(frozen=True)
class _Plot:
    """Where values and slots land in the viewBox: one slot per label, zero at the baseline."""

    top: float
    slots: int
    left: float = LEFT
    right: float = WIDTH - RIGHT
    ceiling: float = TOP
    baseline: float = HEIGHT - BOTTOM

    @property
    def slot_width(self) -> float:
        return (self.right - self.left) / max(self.slots, 1)

    def x(self, index: int) -> float:
        return self.left + (index + 0.5) * self.slot_width

    def y(self, value: float) -> float:
        return self.baseline - min(max(value, 0), self.top) / self.top * (self.baseline - self.ceiling)


@dataclass
class Chart:
    """One chart. All texts are the caller's, already translated; values may be None (gaps)."""

    title: str
    kind: Literal["bar", "line"]
    labels: list[str]
    values: list[float | None]
    unit: str
    label_heading: str
    value_heading: str
    target: float | None = None
    target_label: str = ""
    y_max: float | None = None
    html_id: str = ""

    def __post_init__(self):
        if self.kind not in ("bar", "line"):
            raise ValueError(f"kind must be 'bar' or 'line', not {self.kind!r}")
        if len(self.labels) != len(self.values):
            raise ValueError(f"{len(self.labels)} labels but {len(self.values)} values")
        self.html_id = self.html_id or f"chart-{slugify(self.title) or 'untitled'}"

    @property
    def rows(self) -> list[tuple[str, str | None]]:
        """(label, formatted value or None) for the table, in the caller's order."""
        return [(label, None if value is None else format_number(value))
                for label, value in zip(self.labels, self.values)]

    def _amount(self, value: float) -> str:
        return f"{format_number(value)} {self.unit}".strip()

    @property
    def description(self) -> str:
        """The data in words, for the SVG's <desc>: what a screen reader says about the picture."""
        known = [(label, value) for label, value in zip(self.labels, self.values) if value is not None]
        if not known:
            summary = _("Nothing recorded yet.")
        elif len(known) == 1:
            summary = f"{known[0][0]}: {self._amount(known[0][1])}."
        else:
            numbers = [value for _label, value in known]
            summary = _(
                "From %(first)s (%(first_label)s) to %(latest)s (%(latest_label)s); "
                "lowest %(lowest)s, highest %(highest)s."
            ) % {
                "first": self._amount(numbers[0]), "first_label": known[0][0],
                "latest": self._amount(numbers[-1]), "latest_label": known[-1][0],
                "lowest": format_number(min(numbers)), "highest": format_number(max(numbers)),
            }
        if self.target is not None:
            target_label = self.target_label or _("Target")
            summary += f" {target_label}: {self._amount(self.target)}."
        return summary

    @property
    def svg(self) -> SafeString:
        known = [value for value in self.values if value is not None]
        extent = known + [self.target or 0]
        top, ticks = y_axis(max(extent), all(float(v).is_integer() for v in extent), self.y_max)
        plot = _Plot(top=top, slots=len(self.values))
        root = ET.Element("svg", {
            "xmlns": SVG_NAMESPACE, "viewBox": f"0 0 {WIDTH} {HEIGHT}", "role": "img",
            "class": f"chart__svg chart__svg--{self.kind}", "font-size": str(FONT_SIZE),
            "aria-labelledby": f"{self.html_id}-title {self.html_id}-desc",
        })
        _add(root, "title", self.title, id=f"{self.html_id}-title")
        _add(root, "desc", self.description, id=f"{self.html_id}-desc")
        self._draw_axes(_add(root, "g", class_="chart__axes", aria_hidden="true"), plot, ticks)
        marks = _add(root, "g", class_="chart__marks", aria_hidden="true")
        if not known:
            _add(marks, "text", _("Nothing recorded yet."), class_="chart__empty",
                 x=(plot.left + plot.right) / 2, y=(plot.ceiling + plot.baseline) / 2, text_anchor="middle")
        if self.kind == "bar":
            self._draw_bars(marks, plot)
        else:
            self._draw_line(marks, plot)
        if self.target is not None:
            self._draw_target(marks, plot)
        return mark_safe(ET.tostring(root, encoding="unicode"))  # ElementTree has escaped every text

    def _draw_axes(self, axes: ET.Element, plot: _Plot, ticks: list[float]) -> None:
        _add(axes, "text", self.unit, class_="chart__unit", x=0, y=FONT_SIZE)
        for tick in ticks:
            _add(axes, "line", class_="chart__axis" if tick == 0 else "chart__grid",
                 x1=plot.left, x2=plot.right, y1=plot.y(tick), y2=plot.y(tick))
            _add(axes, "text", format_number(tick), class_="chart__tick",
                 x=plot.left - 6, y=plot.y(tick), dy="0.35em", text_anchor="end")
        for index in thinned_indices(self.labels, plot.right - plot.left):
            _add(axes, "text", self.labels[index], class_="chart__label",
                 x=plot.x(index), y=HEIGHT - 8, text_anchor="middle")

    def _draw_bars(self, marks: ET.Element, plot: _Plot) -> None:
        width = min(plot.slot_width * 0.6, 40)
        for index, value in enumerate(self.values):
            if value is not None:
                _add(marks, "rect", class_="chart__bar", x=plot.x(index) - width / 2, y=plot.y(value),
                     width=width, height=plot.baseline - plot.y(value))

    def _draw_line(self, marks: ET.Element, plot: _Plot) -> None:
        # A gap (None) lifts the pen, so the line never bridges a week with nothing recorded.
        runs: list[list[str]] = [[]]
        for index, value in enumerate(self.values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append(f"{_coordinate(plot.x(index))} {_coordinate(plot.y(value))}")
        path = " ".join("M" + " L".join(run) for run in runs if len(run) > 1)
        if path:
            _add(marks, "path", class_="chart__line", d=path)
        for index, value in enumerate(self.values):
            if value is not None:
                _add(marks, "circle", class_="chart__point", cx=plot.x(index), cy=plot.y(value), r=4)

    def _draw_target(self, marks: ET.Element, plot: _Plot) -> None:
        target_y = plot.y(self.target)
        _add(marks, "line", class_="chart__target", x1=plot.left, x2=plot.right, y1=target_y, y2=target_y)
        # Above the line, unless that would leave the picture.
        label_y = target_y - 6 if target_y - 6 - FONT_SIZE > 0 else target_y + FONT_SIZE + 2
        _add(marks, "text", f"{self.target_label} {format_number(self.target)}".strip(),
             class_="chart__target-label", x=plot.right, y=label_y, text_anchor="end")
