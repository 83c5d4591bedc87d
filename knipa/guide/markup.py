"""One guide page's Markdown to safe HTML, for one reader's body (the format: docs/guide.md).

Python-Markdown does the parsing; what Knipa adds is done with its extension points, never by
reading Markdown by hand:

- the Meta-Data extension reads the header (`title:`, `summary:`, `covers:`, `order:`);
- pymdown-extensions Blocks give `/// body | vagina` and `/// body | penis` passages (`BodyBlock`)
  and `/// figure | name` illustrations (`FigureBlock`);
- a treeprocessor (`GuideTreeprocessor`) resolves `guide:slug` and `app:namespace:name` links,
  fills `{care_name}`, `{care_phone}` and `{care_url}` (spec V4: the health advice line is the
  host's, never a number written into a page), gives the passages' headings their level and
  removes the passages the reader's body does not need.

Raw HTML is not part of the format: the parser's raw-HTML steps are removed, so `<script>` or an
`onclick` in a page is shown as text, escaped like any other text, and a link may only go to a
guide page, a page of the app, or an http(s), mailto or tel address. The only markup that does not
come from Markdown is our own illustrations (templates in templates/guide/figures/), which enter
through the parser's stash. So a host's folder, trusted less than our code, cannot add a script or
a style, and the Content-Security-Policy (no inline scripts or styles) holds.

A page that breaks a rule (an unknown block, figure, guide page or URL name, a link with another
scheme, a Markdown image, a second h1) raises `PageError` naming every problem, so that the catalogue (pages.py) can
log it and skip the page instead of serving something broken.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

import markdown
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from knipa.guide.figures import FIGURES, variants_for
from knipa.program.safety import Body


class PageError(ValueError):
    """A page that cannot be shown as written; the message names every problem."""


class View(StrEnum):
    """Which body passages a reader sees (T3, C2, C3: instructions that fit the body)."""

    VAGINA = "vagina"
    PENIS = "penis"
    BOTH = "both"

    def shows(self, body: str) -> bool:
        return self is View.BOTH or self.value == body


# The bodies a passage may be written for: a neutral reader sees both.
PASSAGE_BODIES = (Body.VAGINA.value, Body.PENIS.value)


def passage_heading(body: str) -> str:
    """The heading that marks a passage when a reader sees both."""
    if body == Body.VAGINA:
        return _("If your body has a vagina")
    return _("If your body has a penis")


@dataclass(frozen=True)
class Care:
    """The health advice line (spec V4), from the host's settings."""

    name: str
    phone: str
    url: str


@dataclass(frozen=True)
class Setting:
    """Everything a page's HTML depends on besides its text (and so part of the cache key)."""

    language: str
    view: View
    known_slugs: frozenset[str]
    care: Care
    # Added to guide links, so that a reader who chose a view keeps it from page to page.
    link_query: str = ""


@dataclass(frozen=True)
class Rendered:
    html: str
    header: dict[str, list[str]]
    # Whether the page has anything that differs by body (passages or figures): then the page
    # offers the switch between views.
    body_specific: bool


@dataclass
class _Work:
    """What the extension's parts note while one page is converted."""

    setting: Setting
    problems: list[str] = field(default_factory=list)
    # Blocks already refused (their first line then stays in the text as a paragraph).
    refused: set[str] = field(default_factory=set)
    body_specific: bool = False
    figures: int = 0


def render_markdown(text: str, setting: Setting) -> Rendered:
    """The page's HTML for this setting, or PageError naming what is wrong with it."""
    work = _Work(setting)
    converter = markdown.Markdown(
        extensions=["meta", GuideBlocks(work=work), GuideExtension(work=work)],
        output_format="html",
    )
    with translation.override(setting.language):
        html = converter.convert(text)
    if work.problems:
        raise PageError("; ".join(dict.fromkeys(work.problems)))
    return Rendered(html=html, header=dict(converter.Meta), body_specific=work.body_specific)


def read_header(text: str) -> dict[str, list[str]]:
    """Only the header, for listing pages (the Meta-Data extension, nothing else)."""
    converter = markdown.Markdown(extensions=["meta"])
    converter.convert(text)
    return dict(converter.Meta)


# --- Blocks ------------------------------------------------------------------------------------


class _GuideBlock(Block):
    """A block with one argument and none of the generic options: `attrs` would let a page set
    any attribute (an `onclick`, a `style`), which the format does not allow."""

    ARGUMENT = True
    OPTIONS = {}

    @property
    def work(self) -> _Work:
        return self.config["work"]

    def on_validate(self, parent) -> bool:
        if self.options.get("attrs"):
            self.work.problems.append(f"/// {self.NAME}: options are not part of the guide format")
            valid = False
        else:
            valid = self.valid_argument(self.argument.strip())
        if not valid:
            self.work.refused.add(f"/// {self.NAME} | {self.argument.strip()}")
        return valid

    def valid_argument(self, argument: str) -> bool:
        raise NotImplementedError


class BodyBlock(_GuideBlock):
    """`/// body | vagina` or `/// body | penis`: a passage for one body only.

    A reader who chose their body sees only their own passages, unheaded; a reader who sees both
    (no profile, neutral words, or the switch) sees each under a heading saying whom it is for.
    The passages of the other body are removed from the page, not hidden.
    """

    NAME = "body"

    def valid_argument(self, argument: str) -> bool:
        if argument not in PASSAGE_BODIES:
            self.work.problems.append(f"/// body | {argument}: a passage is for 'vagina' or 'penis'")
            return False
        self.body = argument
        return True

    def on_create(self, parent):
        self.work.body_specific = True
        view = self.work.setting.view
        passage = etree.SubElement(parent, "div", {"class": f"body-passage body-passage--{self.body}"})
        if not view.shows(self.body):
            passage.set(_DROP, "")
        elif view is View.BOTH:
            heading = etree.SubElement(passage, "h3", {"class": "body-passage__heading", _HEADING: ""})
            heading.text = AtomicString(passage_heading(self.body))
        return passage


class FigureBlock(_GuideBlock):
    """`/// figure | name`: one of Knipa's illustrations (figures.py), its caption the block's
    text. A figure drawn for each body shows the reader's variant, or both."""

    NAME = "figure"

    def valid_argument(self, argument: str) -> bool:
        if argument not in FIGURES:
            self.work.problems.append(f"/// figure | {argument}: no such figure (known: {', '.join(sorted(FIGURES))})")
            return False
        self.name = argument
        return True

    def on_create(self, parent):
        work = self.work
        work.figures += 1
        variants = variants_for(self.name, work.setting.view)
        if len(FIGURES[self.name]) > 1:
            work.body_specific = True
        figure = etree.SubElement(parent, "figure", {"class": f"guide-figure guide-figure--{self.name}"})
        pictures = render_to_string("guide/figure_pictures.html", {
            "pictures": [{"template": variant.template, "body": variant.body,
                          "id": f"figure-{work.figures}-{variant.body or 'all'}"} for variant in variants],
            "labelled": len(variants) > 1,
        })
        holder = etree.SubElement(figure, "div", {"class": "guide-figure__pictures"})
        # Our own markup, kept out of the Markdown parser's way and put back as it is.
        holder.text = AtomicString(self.md.htmlStash.store(pictures))
        self.caption = etree.SubElement(figure, "figcaption", {"class": "guide-figure__caption"})
        return figure

    def on_add(self, block):
        return self.caption


class GuideBlocks(BlocksExtension):
    def __init__(self, *, work: _Work, **kwargs):
        self.work = work
        super().__init__(**kwargs)

    def extendMarkdownBlocks(self, md, block_mgr):
        block_mgr.register(BodyBlock, {"work": self.work})
        block_mgr.register(FigureBlock, {"work": self.work})


# --- No raw HTML; notes for reviewers -------------------------------------------------------------

_COMMENT = re.compile(r"^[ ]{0,3}<!--(?:(?!-->).)*-->[ \t]*$", re.MULTILINE | re.DOTALL)


class DropCommentsPreprocessor(Preprocessor):
    """HTML comments on lines of their own are notes for reviewers (`<!-- figure: ... -->`):
    never shown. Any other HTML is text (the raw-HTML steps are removed), so it is escaped."""

    def run(self, lines: list[str]) -> list[str]:
        return _COMMENT.sub("", "\n".join(lines)).split("\n")


# --- Links, the care line, headings, removed passages -------------------------------------------

_DROP = "data-guide-drop"
_HEADING = "data-guide-passage-heading"
_CARE = re.compile(r"\{(care_[a-z_]*)\}")
_APP_LINK = re.compile(r"^app:([a-z_]+):([a-z_]+)(\?[A-Za-z0-9_=&-]*)?$")
_GUIDE_LINK = re.compile(r"^guide:([a-z0-9]+(?:-[a-z0-9]+)*)$")
_ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
_HEADINGS = {f"h{level}": level for level in range(1, 7)}


class GuideTreeprocessor(Treeprocessor):
    def __init__(self, md, work: _Work):
        super().__init__(md)
        self.work = work

    @property
    def setting(self) -> Setting:
        return self.work.setting

    def run(self, root):
        self._remove_dropped(root)
        self._check_elements(root)
        self._fill_care(root)
        for link in root.iter("a"):
            link.set("href", self._target(link.get("href", "")))
        self._level_passage_headings(root)

    # Passages for the other body go, with everything in them.
    def _remove_dropped(self, root) -> None:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.get(_DROP) is not None:
                    parent.remove(child)

    def _check_elements(self, root) -> None:
        for element in root.iter():
            if element.tag == "h1":
                self.work.problems.append("the page's title is its only h1: start headings at ##")
            elif element.tag == "img":
                self.work.problems.append("images are not part of the guide format: use /// figure | name")
            if element.tag == "p" and (element.text or "").lstrip().startswith("///"):
                first_line = element.text.strip().splitlines()[0]
                if " ".join(first_line.replace("|", " | ").split()) not in self.work.refused:
                    self.work.problems.append(f"{first_line!r}: not a block the guide knows (body, figure), "
                                              "or not closed")

    def _fill_care(self, root) -> None:
        for element in root.iter():
            for attribute in ("text", "tail"):
                value = getattr(element, attribute)
                if value and "{" in value:
                    setattr(element, attribute, self._with_care(value))
            for name in ("href", "title"):
                if "{" in element.get(name, ""):
                    element.set(name, self._with_care(element.get(name)))

    def _with_care(self, text: str) -> str:
        care = self.setting.care
        values = {"care_name": care.name, "care_phone": care.phone, "care_url": care.url}

        def fill(match: re.Match) -> str:
            if match.group(1) not in values:
                self.work.problems.append(f"{match.group(0)}: unknown; the care line is {{care_name}}, "
                                          "{care_phone} and {care_url}")
                return match.group(0)
            return values[match.group(1)]

        # The values are plain text in the tree: the serialiser escapes them (V4).
        return _CARE.sub(fill, text)

    def _target(self, href: str) -> str:
        href = href.strip()
        guide = _GUIDE_LINK.match(href)
        if guide:
            slug = guide.group(1)
            if slug not in self.setting.known_slugs:
                self.work.problems.append(f"link to guide:{slug}: no such page")
                return ""
            return reverse("guide:page", kwargs={"slug": slug}) + self.setting.link_query
        if href.startswith("guide:"):
            self.work.problems.append(f"link to {href}: write guide:slug")
            return ""
        if href.startswith("app:"):
            app = _APP_LINK.match(href)
            if not app:
                self.work.problems.append(f"link to {href}: write app:namespace:name")
                return ""
            try:
                return reverse(f"{app.group(1)}:{app.group(2)}") + (app.group(3) or "")
            except NoReverseMatch:
                self.work.problems.append(f"link to {href}: no page of the app has that name")
                return ""
        parts = urlsplit(href)
        if parts.scheme.lower() in _ALLOWED_SCHEMES and (parts.netloc or parts.scheme.lower() in ("mailto", "tel")):
            return href
        if not parts.scheme and not parts.netloc and href.startswith(("/", "#")) and not href.startswith("//"):
            return href
        self.work.problems.append(f"link to {href!r}: only guide:, app:, http(s), mailto and tel links")
        return ""

    # A passage's heading sits one level under the heading it follows (h1 is the page's title).
    def _level_passage_headings(self, root) -> None:
        level = 1
        for element in root.iter():
            if element.get(_HEADING) is not None:
                element.tag = f"h{min(level + 1, 6)}"
                del element.attrib[_HEADING]
            elif element.tag in _HEADINGS:
                level = _HEADINGS[element.tag]


class GuideExtension(Extension):
    def __init__(self, *, work: _Work, **kwargs):
        self.work = work
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # No raw HTML, block or inline: it becomes text, escaped on output.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.preprocessors.register(DropCommentsPreprocessor(md), "guide_drop_comments", 25)
        # After the inline patterns (20) and the blocks' own end step (19.99): the links exist.
        md.treeprocessors.register(GuideTreeprocessor(md, self.work), "guide", 15)
