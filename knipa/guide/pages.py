"""Which guide pages there are, in a reader's language: ours and a host's, checked, rendered once.

Our pages are `pages/<language>/<slug>.md` beside this file; a host may point `KNIPA_GUIDE_DIR`
(settings.GUIDE_DIR) at a folder with the same layout: a page there with one of our slugs replaces
ours, a new slug adds a page. A page missing in the reader's language is offered in the default
language (Swedish), marked as such. In order of preference, for each slug:

    the host's page in the reader's language, ours in it, the host's in Swedish, ours in Swedish.

Each page is checked before it is offered: its header (`title`, `summary` and `order` required,
`covers` with known spec ids, no other keys) and its whole text (markup.render_markdown: blocks,
figures, links). A page that fails is skipped with a log line naming the file and every problem,
and the next in order is used (a host's broken replacement falls back to ours): a reader never
meets an error for something a host wrote.

Rendering is cached for the life of the process, keyed by the file (its path, modification time
and size), the language, the reader's view of the body passages and the set of pages links may go
to, so an edited or added file is picked up on the next request without a restart, and a page is
parsed once, not on every view. Looking for changes costs a directory listing per request.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from knipa.guide.markup import Care, PageError, Rendered, Setting, View, read_header, render_markdown
from knipa.program.spec import SPEC_IDS

logger = logging.getLogger(__name__)

OUR_PAGES = Path(__file__).resolve().parent / "pages"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_KEYS = ("title", "summary", "order")
KNOWN_KEYS = frozenset(REQUIRED_KEYS + ("covers",))
_COVERS_SEPARATOR = re.compile(r"[,\s]+")


@dataclass(frozen=True)
class Source:
    """One Markdown file, as it is now (its stamp changes when the file does)."""

    path: str
    language: str
    name: str
    from_host: bool
    mtime_ns: int
    size: int

    @property
    def slug(self) -> str:
        return self.name.removesuffix(".md")


@dataclass(frozen=True)
class Header:
    title: str
    summary: str
    covers: tuple[str, ...]
    order: int


@dataclass(frozen=True)
class Page:
    slug: str
    header: Header
    source: Source

    @property
    def language(self) -> str:
        """The language the page is written in: the reader's, or Swedish when it has none."""
        return self.source.language


@dataclass(frozen=True)
class Guide:
    """The pages a reader of one language is offered, in the guide's order."""

    language: str
    pages: tuple[Page, ...]
    # What links may point to (guide:slug), for every page of this language.
    known_slugs: frozenset[str]
    # The files left out, with why: (path, problem), for `knipa manage check` (checks.py).
    skipped: tuple[tuple[str, str], ...] = ()

    def page(self, slug: str) -> Page | None:
        return next((page for page in self.pages if page.slug == slug), None)


def care() -> Care:
    """The health advice line (spec V4): 1177 in Sweden, the host's own elsewhere."""
    return Care(settings.CARE_ADVICE_NAME, settings.CARE_ADVICE_PHONE, settings.CARE_ADVICE_URL)


def guide(language: str) -> Guide:
    """The guide in `language`, checked and ordered. Cheap after the first call (see module)."""
    default = settings.LANGUAGE_CODE
    languages = (language,) if language == default else (language, default)
    found = tuple(source for code in languages for source in _sources(code))
    return _build(language, found, care())


def render(page: Page, in_guide: Guide, view: View, link_query: str = "") -> Rendered:
    """A page's HTML for a reader's view. It was checked when the guide was built, so this only
    fails if the file changed under us; the caller then answers 404."""
    source = page.source
    setting = Setting(language=source.language, view=view, known_slugs=in_guide.known_slugs, care=care(),
                      link_query=link_query)
    return _render(source.path, source.mtime_ns, source.size, setting)


# --- Finding files --------------------------------------------------------------------------------


def folders() -> list[tuple[Path, bool]]:
    """(folder, from_host), the host's first: its pages win."""
    found = []
    host = str(getattr(settings, "GUIDE_DIR", "") or "")
    if host:
        if Path(host).is_dir():
            found.append((Path(host), True))
        else:
            _warn_once(f"KNIPA_GUIDE_DIR is {host!r}, which is not a folder: only Knipa's own guide pages are shown")
    found.append((OUR_PAGES, False))
    return found


def _sources(language: str) -> list[Source]:
    sources = []
    for folder, from_host in folders():
        directory = folder / language
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as error:
            _warn_once(f"guide pages in {directory} cannot be read: {error}")
            continue
        for entry in entries:
            if not entry.name.endswith(".md"):
                continue
            try:
                if not entry.is_file():
                    continue
                stat = entry.stat()
            except OSError:
                continue
            sources.append(Source(entry.path, language, entry.name, from_host, stat.st_mtime_ns, stat.st_size))
    return sources


_warned: set[str] = set()


def _warn_once(message: str, key: str = "") -> None:
    """Log a problem once, not on every request (`key`: what makes it new, such as a file's stamp)."""
    if (key or message) not in _warned:
        _warned.add(key or message)
        logger.warning(message)


# --- Checking and building ------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _build(language: str, sources: tuple[Source, ...], care_line: Care) -> Guide:
    """The guide from these files (cached: the same files give the same guide)."""
    # For each slug, its files in order of preference: the reader's language before the default,
    # and within a language the host's before ours (the order _sources lists them in).
    candidates: dict[str, list[tuple[Source, Header]]] = {}
    skipped: dict[str, str] = {}
    ordered = sorted(sources, key=lambda source: source.language != language)
    for source in ordered:
        if not SLUG.match(source.slug):
            skipped[source.path] = "the file name must be a slug: lower-case letters, digits and hyphens, then .md"
            continue
        try:
            header = _header(source, care_line)
        except PageError as problem:
            skipped[source.path] = str(problem)
            continue
        candidates.setdefault(source.slug, []).append((source, header))

    # Every page is rendered once in full (both bodies): what a reader sees is a part of it. A page
    # whose links point to a page that itself had to be skipped is checked again without it.
    known = frozenset(candidates)
    while True:
        chosen: dict[str, Page] = {}
        for slug, options in candidates.items():
            for source, header in options:
                setting = Setting(language=source.language, view=View.BOTH, known_slugs=known, care=care_line)
                try:
                    _render(source.path, source.mtime_ns, source.size, setting)
                except PageError as problem:
                    skipped[source.path] = str(problem)
                    continue
                chosen[slug] = Page(slug, header, source)
                break
        if frozenset(chosen) == known:
            break
        known = frozenset(chosen)
    pages = sorted(chosen.values(), key=lambda page: (page.header.order, page.header.title.casefold()))
    by_path = {source.path: source for source in sources}
    for path, problem in skipped.items():
        _skip(by_path[path], problem)
    return Guide(language, tuple(pages), known, tuple(sorted(skipped.items())))


def _skip(source: Source, problem: str) -> None:
    whose = "the host's guide page" if source.from_host else "guide page"
    _warn_once(f"{whose} {source.path} is not shown: {problem}",
               key=f"{source.path}:{source.mtime_ns}:{source.size}:{problem}")


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except UnicodeDecodeError:
        raise PageError("the file is not UTF-8 text") from None
    except OSError as error:
        raise PageError(f"the file cannot be read ({error.strerror})") from None


@lru_cache(maxsize=512)
def _header_of(path: str, mtime_ns: int, size: int) -> dict[str, tuple[str, ...]]:
    return {key: tuple(values) for key, values in read_header(_read(path)).items()}


def _header(source: Source, care_line: Care) -> Header:
    meta = _header_of(source.path, source.mtime_ns, source.size)
    problems = []
    unknown = sorted(set(meta) - KNOWN_KEYS)
    if unknown:
        problems.append(f"unknown header keys {unknown} (known: {sorted(KNOWN_KEYS)})")
    values = {key: " ".join(line.strip() for line in meta.get(key, ())).strip() for key in KNOWN_KEYS}
    problems += [f"the header has no {key}:" for key in REQUIRED_KEYS if not values[key]]
    order = 0
    if values["order"]:
        try:
            order = int(values["order"])
        except ValueError:
            problems.append(f"order: {values['order']!r} is not a whole number")
    covers = tuple(spec_id for spec_id in _COVERS_SEPARATOR.split(values["covers"]) if spec_id)
    strange = [spec_id for spec_id in covers if spec_id not in SPEC_IDS]
    if strange:
        problems.append(f"covers: {strange} are not ids of the programme specification")
    if problems:
        raise PageError("; ".join(problems))
    # The care line may be named in the list too (V4); the templates escape it like all text.
    line = {"{care_name}": care_line.name, "{care_phone}": care_line.phone, "{care_url}": care_line.url}
    title, summary = values["title"], values["summary"]
    for placeholder, value in line.items():
        title, summary = title.replace(placeholder, value), summary.replace(placeholder, value)
    return Header(title=title, summary=summary, covers=covers, order=order)


@lru_cache(maxsize=1024)
def _render(path: str, mtime_ns: int, size: int, setting: Setting) -> Rendered:
    return render_markdown(_read(path), setting)
