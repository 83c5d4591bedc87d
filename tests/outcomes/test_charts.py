"""The progress charts: a readable, accessible SVG and a table holding the same numbers."""

import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from knipa.outcomes.charts import Chart, thinned_indices, y_axis

SVG = "{http://www.w3.org/2000/svg}"
WEEKS = [f"W{n}" for n in range(1, 9)]


def chart(kind="bar", labels=WEEKS, values=(2, 3, 3, 4, None, 5, 4, 5), **options) -> Chart:
    options = {"title": "Training days", "unit": "days", "label_heading": "Week",
               "value_heading": "Days trained", **options}
    return Chart(kind=kind, labels=list(labels), values=list(values), **options)


def svg_of(subject: Chart) -> ET.Element:
    return ET.fromstring(subject.svg)


def texts(svg: ET.Element, css_class: str) -> list[str]:
    return [node.text for node in svg.iter(f"{SVG}text") if node.get("class") == css_class]


def marks(svg: ET.Element, tag: str) -> list[ET.Element]:
    return list(svg.iter(f"{SVG}{tag}"))


def rendered(subject: Chart) -> ET.Element:
    # The include is well-formed, so the whole figure parses as XML and can be read like the SVG.
    return ET.fromstring(render_to_string("includes/chart.html", {"chart": subject}))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_svg_is_an_image_labelled_by_its_title_and_a_summary_in_words():
    svg = svg_of(chart(target=5, target_label="Planned"))
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert title.text == "Training days"
    assert desc.text == "From 2 days (W1) to 5 days (W8); lowest 2, highest 5. Planned: 5 days."


def test_the_svg_scales_to_the_width_of_a_phone_and_carries_no_inline_styles():
    source = chart().svg
    svg = ET.fromstring(source)
    assert svg.get("viewBox") == "0 0 300 190"
    assert "width" not in svg.attrib and "height" not in svg.attrib
    assert "style" not in source  # neither attributes nor elements: the CSP forbids both


def test_a_bar_chart_draws_one_bar_per_recorded_week_and_leaves_a_gap_for_the_missing_one():
    bars = marks(svg_of(chart()), "rect")
    assert len(bars) == 7
    # The gap is where week 5 would stand: the fourth and fifth bars are two slots apart.
    xs = [float(bar.get("x")) for bar in bars]
    slot = xs[1] - xs[0]
    assert xs[4] - xs[3] == pytest.approx(2 * slot, abs=0.2)


def test_taller_bars_mean_larger_values_and_a_zero_week_has_no_height():
    bars = marks(svg_of(chart(values=[0, 2, 4, 1, 1, 1, 1, 1])), "rect")
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[0] == 0
    assert heights[2] == pytest.approx(2 * heights[1])


def test_a_line_chart_draws_a_point_per_value_and_lifts_the_pen_over_a_gap():
    svg = svg_of(chart(kind="line", title="Strength hold", unit="seconds",
                       values=[3, 4, None, 6, 7, 8, None, 10]))
    assert len(marks(svg, "circle")) == 6
    assert marks(svg, "rect") == []
    (line,) = marks(svg, "path")
    assert line.get("d").count("M") == 2  # 3-4, then 6-7-8; the lone 10 is a point on its own


def test_the_target_line_and_its_label_appear_only_when_a_target_is_given():
    with_target = svg_of(chart(target=5, target_label="Planned"))
    (target,) = [line for line in marks(with_target, "line") if line.get("class") == "chart__target"]
    assert target.get("y1") == target.get("y2")
    assert texts(with_target, "chart__target-label") == ["Planned 5"]

    without = svg_of(chart())
    assert [line for line in marks(without, "line") if line.get("class") == "chart__target"] == []
    assert texts(without, "chart__target-label") == []


def test_the_target_line_stands_at_the_height_of_a_bar_of_the_same_value():
    svg = svg_of(chart(values=[5, 1, 1, 1, 1, 1, 1, 1], target=5))
    target = next(line for line in marks(svg, "line") if line.get("class") == "chart__target")
    assert float(target.get("y1")) == float(marks(svg, "rect")[0].get("y"))


def test_a_target_above_every_value_still_fits_under_the_top_of_the_axis():
    svg = svg_of(chart(values=[1, 2, 1, 2, 1, 2, 1, 2], target=7))
    assert texts(svg, "chart__tick") == ["0", "2", "4", "6", "8"]


def test_the_y_axis_has_a_few_round_ticks():
    assert y_axis(45, all_whole=True) == (50, [0, 10, 20, 30, 40, 50])
    assert y_axis(5, all_whole=True) == (5, [0, 1, 2, 3, 4, 5])
    # The 0-12 severity index keeps its own top, with even steps below it.
    assert y_axis(7, all_whole=True, y_max=12) == (12, [0, 2, 4, 6, 8, 10, 12])
    assert y_axis(0.7, all_whole=False) == (0.8, [0, 0.2, 0.4, 0.6, 0.8])


def test_counts_never_get_fractional_ticks():
    assert y_axis(2, all_whole=True) == (2, [0, 1, 2])
    assert texts(svg_of(chart(values=[0] * 8)), "chart__tick") == ["0", "1"]


def test_a_value_above_y_max_is_drawn_at_the_top_but_kept_in_the_table():
    subject = chart(kind="line", values=[14, 1, 1, 1, 1, 1, 1, 1], y_max=12)
    svg = svg_of(subject)
    top = min(float(line.get("y1")) for line in marks(svg, "line"))
    assert float(marks(svg, "circle")[0].get("cy")) == top
    assert subject.rows[0] == ("W1", "14")


def test_many_x_labels_are_thinned_to_at_most_eight_and_the_latest_is_always_shown():
    labels = [f"W{n}" for n in range(1, 27)]
    shown = texts(svg_of(chart(labels=labels, values=range(26))), "chart__label")
    assert 2 <= len(shown) <= 8
    assert shown[-1] == "W26"
    assert len(marks(svg_of(chart(labels=labels, values=range(26))), "rect")) == 26


def test_long_labels_are_thinned_further_so_they_do_not_overlap():
    dates = [f"{day} March" for day in range(10, 18)]
    shown = thinned_indices(dates)
    assert len(shown) < 8
    assert shown[-1] == 7
    assert thinned_indices(WEEKS) == list(range(8))


def test_an_empty_chart_renders_with_an_axis_and_says_nothing_is_recorded():
    subject = chart(labels=[], values=[], target=5, target_label="Planned")
    svg = svg_of(subject)
    assert marks(svg, "rect") == [] and texts(svg, "chart__label") == []
    assert svg.find(f"{SVG}desc").text == "Nothing recorded yet. Planned: 5 days."
    assert texts(svg, "chart__empty") == ["Nothing recorded yet."]  # for those who see it, too
    assert rendered(subject).find(".//table") is None  # no table of nothing


def test_a_chart_with_only_gaps_is_treated_as_empty():
    svg = svg_of(chart(kind="line", labels=["W1", "W2"], values=[None, None]))
    assert marks(svg, "circle") == [] and marks(svg, "path") == []
    assert svg.find(f"{SVG}desc").text == "Nothing recorded yet."
    assert texts(svg, "chart__empty") == ["Nothing recorded yet."]


@pytest.mark.parametrize("kind, tag", [("bar", "rect"), ("line", "circle")])
def test_a_single_value_draws_one_mark_and_is_described_plainly(kind, tag):
    svg = svg_of(chart(kind=kind, labels=["W1"], values=[4]))
    assert len(marks(svg, tag)) == 1
    assert marks(svg, "path") == []
    assert svg.find(f"{SVG}desc").text == "W1: 4 days."


def test_numbers_are_written_as_the_language_writes_them():
    subject = chart(kind="line", labels=["W1", "W2", "W3"], values=[7.5, 12.25, 12.96], unit="sekunder")
    with translation.override("sv"):
        assert subject.rows == [("W1", "7,5"), ("W2", "12,3"), ("W3", "13")]
        assert "13 sekunder (W3)" in subject.description


def test_a_title_with_markup_is_escaped_in_the_svg_and_the_table():
    subject = chart(title="<script>alert(1)</script>", unit="<b>", labels=WEEKS[:2], values=[1, 2],
                    label_heading="W & D", target=1, target_label='"quoted"')
    assert "<script>" not in subject.svg and "<b>" not in subject.svg
    assert svg_of(subject).find(f"{SVG}title").text == "<script>alert(1)</script>"
    html = render_to_string("includes/chart.html", {"chart": subject})
    assert "<script>" not in html and "<b>" not in html
    assert rendered(subject).find(".//caption").text == "<script>alert(1)</script>"


def test_the_table_holds_the_same_numbers_under_the_callers_headings():
    subject = chart(values=[2, 3, 3, 4, None, 5, 4, 5.5])
    figure = rendered(subject)
    assert figure.tag == "figure"
    assert figure.find(f"{SVG}svg") is not None
    table = figure.find(".//details/table")
    assert table.find("caption").text == "Training days"
    headings = table.findall("thead/tr/th")
    assert [(th.text, th.get("scope")) for th in headings] == [("Week", "col"), ("Days trained", "col")]
    rows = [(tr.find("th").text, tr.find("td").text) for tr in table.findall("tbody/tr")]
    assert rows == [("W1", "2"), ("W2", "3"), ("W3", "3"), ("W4", "4"), ("W5", "not recorded"),
                    ("W6", "5"), ("W7", "4"), ("W8", "5.5")]
    assert figure.find(".//details/summary").text == "Show as a table"


def test_two_charts_on_one_page_get_their_own_ids():
    first, second = chart(title="Training days"), chart(title="Leaks")
    assert first.html_id != second.html_id
    assert chart(title="Leaks", html_id="leaks-per-week").svg.count('id="leaks-per-week-') == 2


def test_mismatched_labels_and_values_or_an_unknown_kind_are_refused():
    with pytest.raises(ValueError):
        chart(labels=["W1"], values=[1, 2])
    with pytest.raises(ValueError):
        chart(kind="pie")
