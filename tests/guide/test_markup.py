"""The guide's Markdown: what a page may contain, and what never reaches a reader (knipa/guide/markup.py).

Raw HTML is not part of the format, so a page (ours, or a host's, which we trust less than our
code) can add no script, no style and no event handler: the Content-Security-Policy forbids inline
scripts and styles, and nothing here would need them. Body passages follow the reader's view, and
the care line comes from the host's settings (spec V4), escaped.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from knipa.guide.markup import Care, PageError, Setting, View, read_header, render_markdown
from tests.guide.conftest import html_outline, page_text

CARE = Care(name="1177", phone="1177", url="https://www.1177.se")
KNOWN = frozenset({"how-it-works", "sport"})


def render(body: str, view: View = View.BOTH, *, care: Care = CARE, language: str = "en", link_query: str = ""):
    setting = Setting(language=language, view=view, known_slugs=KNOWN, care=care, link_query=link_query)
    return render_markdown(page_text(body=body), setting)


PASSAGES = """Text for everyone.

/// body | vagina
Only for a body with a vagina.
///

/// body | penis
Only for a body with a penis.
///
"""

ATTACKS = [
    '<script>alert("x")</script>',
    '<div onclick="alert(1)">click</div>',
    '<img src="x" onerror="alert(1)">',
    '<style>body { display: none }</style>',
    'Text <b style="color: red">bold</b> and <iframe src="https://example.com"></iframe>.',
    '<a href="javascript:alert(1)">a link</a>',
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_raw_html_in_a_page_is_shown_as_text_never_as_markup(attack):
    html = render(f"Before.\n\n{attack}\n\nAfter.").html
    tags = {tag for tag, _attributes in html_outline(html)}
    assert tags <= {"p"}, f"markup passed through: {html}"
    assert "&lt;" in html
    assert not any(name.startswith("on") or name == "style" for _tag, attributes in html_outline(html)
                   for name in attributes)


@pytest.mark.parametrize("target", ["javascript:alert(1)", "data:text/html,<script>x</script>", "vbscript:x", "//evil.example/x"])
def test_a_link_to_anything_but_the_guide_the_app_or_the_web_is_refused(target):
    with pytest.raises(PageError, match="only guide:, app:"):
        render(f"[Click]({target})")


def test_block_options_that_would_set_attributes_are_refused():
    body = "/// body | vagina\n    attrs: {onclick: \"alert(1)\", style: \"color: red\"}\nText.\n///"
    with pytest.raises(PageError, match="options are not part"):
        render(body)


def test_a_neutral_reader_sees_both_passages_each_under_its_heading():
    html = render(PASSAGES, View.BOTH).html
    assert "Only for a body with a vagina." in html and "Only for a body with a penis." in html
    assert "If your body has a vagina" in html and "If your body has a penis" in html


@pytest.mark.parametrize(("view", "kept", "gone"), [
    (View.VAGINA, "with a vagina", "with a penis"),
    (View.PENIS, "with a penis", "with a vagina"),
])
def test_a_reader_who_chose_their_body_gets_only_its_passages_unheaded(view, kept, gone):
    # T3, C2, C3: instructions that fit the reader's body; the other body's text is not sent at all.
    html = render(PASSAGES, view).html
    assert f"Only for a body {kept}." in html
    assert f"Only for a body {gone}." not in html
    assert "If your body has" not in html
    assert "Text for everyone." in html


def test_the_passage_headings_are_in_the_pages_language():
    html = render(PASSAGES, View.BOTH, language="sv").html
    assert "Om din kropp har en slida" in html and "Om din kropp har en penis" in html


def test_a_passage_heading_sits_one_level_under_the_heading_before_it():
    first = render(PASSAGES).html
    assert '<h2 class="body-passage__heading">' in first  # under the page's h1
    nested = render("## A section\n\n### A part\n\n" + PASSAGES).html
    assert '<h4 class="body-passage__heading">' in nested


def test_a_passage_for_another_kind_of_body_is_refused():
    with pytest.raises(PageError, match="a passage is for 'vagina' or 'penis'"):
        render("/// body | neutral\nText.\n///")


def test_an_unknown_block_is_refused_rather_than_shown_as_slashes():
    with pytest.raises(PageError, match="not a block the guide knows"):
        render("/// note | x\nText.\n///")


def test_guide_and_app_links_become_addresses():
    html = render("[Sport](guide:sport), [train](app:training:player), "
                  "[practise](app:training:player?practice=daily_life), [1177](https://www.1177.se)").html
    assert f'href="{reverse("guide:page", kwargs={"slug": "sport"})}"' in html
    assert f'href="{reverse("training:player")}"' in html
    assert f'href="{reverse("training:player")}?practice=daily_life"' in html
    assert 'href="https://www.1177.se"' in html


def test_a_readers_chosen_view_is_carried_on_to_the_next_guide_page():
    html = render("[Sport](guide:sport)", link_query="?body=penis").html
    assert f'href="{reverse("guide:page", kwargs={"slug": "sport"})}?body=penis"' in html


@pytest.mark.parametrize(("link", "problem"), [
    ("guide:no-such-page", "no such page"),
    ("app:training:no_such_view", "no page of the app has that name"),
    ("app:training", "write app:namespace:name"),
])
def test_a_link_that_goes_nowhere_is_refused(link, problem):
    with pytest.raises(PageError, match=problem):
        render(f"[x]({link})")


def test_the_care_line_comes_from_the_hosts_settings_escaped():
    # V4: the health advice line is configurable; a value is text, never markup.
    care = Care(name="<b>Vårdguiden</b>", phone="+47 <i>116</i>", url="https://care.example/?a=1&b=2")
    html = render("Call {care_phone} or read [{care_name}]({care_url}).", care=care).html
    assert "&lt;b&gt;Vårdguiden&lt;/b&gt;" in html
    assert "+47 &lt;i&gt;116&lt;/i&gt;" in html
    assert 'href="https://care.example/?a=1&amp;b=2"' in html
    assert "{care" not in html


def test_an_unknown_care_placeholder_is_refused():
    with pytest.raises(PageError, match="unknown"):
        render("Call {care_number}.")


def test_notes_for_reviewers_are_never_shown():
    html = render("Before.\n\n<!-- figure: pelvic-floor-side -->\n\n<!--\na longer note\n-->\n\nAfter.").html
    assert "figure:" not in html and "note" not in html and "&lt;!--" not in html


def test_a_second_h1_and_images_are_refused():
    with pytest.raises(PageError, match="only h1"):
        render("# Another title")
    with pytest.raises(PageError, match="images are not part"):
        render("![a picture](/static/x.png)")


def test_a_figure_shows_the_readers_drawing_with_its_caption():
    body = "/// figure | pelvic-floor-side\nThe pelvic floor from the side.\n///"
    vagina = render(body, View.VAGINA).html
    assert vagina.count("<svg") == 1 and "in a body with a vagina" in vagina
    both = render(body, View.BOTH).html
    assert both.count("<svg") == 2
    assert "<figcaption" in both and "The pelvic floor from the side." in both


def test_an_unknown_figure_is_refused():
    with pytest.raises(PageError, match="no such figure"):
        render("/// figure | the-moon\nCaption.\n///")


def test_the_header_is_read_with_the_meta_data_extension():
    header = read_header(page_text(title="Sport", covers="S5, E5", order="120"))
    assert header["title"] == ["Sport"] and header["covers"] == ["S5, E5"] and header["order"] == ["120"]
