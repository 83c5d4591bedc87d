"""What the guide's tests share: a host's folder of pages, reading rendered HTML, LIX.

`host_guide` points settings.GUIDE_DIR (KNIPA_GUIDE_DIR) at a fresh folder and returns a function
that writes a page into it; `html_outline` lists every tag and attribute of a piece of HTML;
`text_blocks` and `lix` measure readability the way docs/guide.md states it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from knipa.guide.pages import OUR_PAGES

LANGUAGES = ("sv", "en")
# The pages the guide must have (issue 14), in both languages.
SLUGS = (
    "how-it-works", "finding-the-muscles", "positions", "three-kinds", "daily-life", "how-long", "habits",
    "birth-and-surgery", "pain-and-relaxation", "lifestyle", "aids", "sport", "sex", "seek-care",
)


def our_slugs(language: str) -> list[str]:
    return sorted(path.stem for path in (OUR_PAGES / language).glob("*.md"))


def page_text(*, title="A page", summary="What it is about.", covers="A1", order="10", body="Some text.") -> str:
    header = [f"title: {title}", f"summary: {summary}", f"covers: {covers}", f"order: {order}"]
    return "\n".join(line for line in header if not line.endswith(": ")) + "\n\n" + body + "\n"


@pytest.fixture
def host_guide(tmp_path, settings):
    """A host's folder (KNIPA_GUIDE_DIR): `write(language, slug, text)` puts a page in it."""
    folder = tmp_path / "host-guide"
    folder.mkdir()
    settings.GUIDE_DIR = str(folder)

    def write(language: str, slug: str, text: str) -> Path:
        (folder / language).mkdir(exist_ok=True)
        path = folder / language / f"{slug}.md"
        path.write_text(text, encoding="utf-8")
        return path

    write.folder = folder
    return write


class _Outline(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def html_outline(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """(tag, attributes) of every element, in order."""
    parser = _Outline()
    parser.feed(html)
    parser.close()
    return parser.tags


# The blocks whose end ends a sentence (docs/guide.md: a paragraph, a list item, a heading).
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption", "blockquote", "div", "ul", "ol",
           "figure", "article", "section", "td", "th"}


class _Blocks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.in_svg = 0

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.in_svg += 1
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_svg -= 1
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self.in_svg:  # a drawing's labels are not sentences; its text alternative is read apart
            self.current.append(data)


def text_blocks(html: str) -> list[str]:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.blocks


_SENTENCE_END = re.compile(r"[.!?:]+")
_WORD = re.compile(r"[^\W\d_]+")


def lix(blocks: list[str]) -> float:
    """Words per sentence + 100 x the share of words longer than six letters. Words are runs of
    letters; sentences end at . ! ? : and at the end of each block."""
    words = sentences = long_words = 0
    for block in blocks:
        for sentence in _SENTENCE_END.split(block):
            found = _WORD.findall(sentence)
            if found:
                sentences += 1
                words += len(found)
                long_words += sum(len(word) > 6 for word in found)
    return words / sentences + 100 * long_words / words if words else 0.0
