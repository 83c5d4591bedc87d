"""Traceability: every fact of the programme specification is implemented and tested.

The ids live in knipa/program/spec.py (SPEC_IDS), so a fresh clone can check itself; where the
specification is at hand (../shared/program-spec.md) the list is checked against it as well.

The citation rule. A spec id is cited where it appears as a token (an upper-case letter of
W P T E C S K H L A V and one digit, standing alone: ``E1``, not ``E12``, ``AE1``, ``<h1>``, ``</H1>``
or ``#E1E1E1``) in a place written for people to read about the code, not in its data:

- Python: comments and docstrings (module, class, function), read with tokenize and ast;
- HTML templates: template comments ``{# ... #}``, ``{% comment %}...{% endcomment %}`` and
  HTML comments ``<!-- ... -->``;
- JavaScript: ``// ...`` and ``/* ... */`` comments;
- the guide's pages (knipa/guide/pages/<language>/<slug>.md): their ``covers:`` header, the ids
  whose facts the page explains (docs/guide.md; the text itself names no ids);
- other Markdown under knipa/: the whole text (it is content).

A range cites every id in it: ``E0-E8``, ``P1-P3``, ``W1-W4``, ``E1–E3`` (hyphen or en dash, the
letter repeated or not). So ``# spec E1``, ``# E3``, ``(S1, W5)`` and ``{# spec E0-E3 #}`` cite;
``labels=["W1", "W2"]`` (weeks on a chart) and ``format="A4"`` do not, which is why string literals
are left out. Tests are tests/**/*.py except this file; code and content are knipa/**/*.py, .html,
.js and .md, except knipa/program/spec.py (the list would cite itself) and the translation
catalogues.

The guide explains the facts a person reads rather than rules the app applies: who training is for
(W), safety (S), habit and aids (H), lifestyle (L), how the pelvic floor works (A) and when to seek
care (V). Each of those ids must be covered by a guide page in every language the guide has.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from knipa.guide.markup import read_header
from knipa.guide.pages import OUR_PAGES
from knipa.program.spec import SPEC_IDS

REPO = Path(__file__).resolve().parents[1]
PROGRAMME_SPECIFICATION = REPO.parent / "shared" / "program-spec.md"
THIS_FILE = Path(__file__).resolve()
SPEC_LIST = REPO / "knipa" / "program" / "spec.py"

# Ids still waiting for their citations. The guide pages (issue "The guide itself") brought the last
# ones (L1, L3, L5, A1-A3); the set stays, empty, so that the test below keeps it from growing back
# unnoticed. Only guide content belongs here: explanation and advice, not a rule the app applies.
NOT_YET: frozenset[str] = frozenset()
# The kinds of fact the guide must explain in every language (see the module docstring).
GUIDE_LETTERS = "WSHLAV"

_LETTERS = "WPTECSKHLAV"
# Not inside a word or a number, and not an HTML tag name (<h1>, </H1>).
_NOT_AFTER = r"(?<![\w<])(?<!</)"
_RANGE = re.compile(rf"{_NOT_AFTER}([{_LETTERS}])(\d)\s*[-–]\s*\1?(\d)(?!\w)")
_TOKEN = re.compile(rf"{_NOT_AFTER}([{_LETTERS}]\d)(?!\w)")


def ids_cited_in(text: str) -> set[str]:
    """The spec ids a piece of human-readable text cites, ranges expanded."""
    cited: set[str] = set()
    for letter, first, last in _RANGE.findall(text):
        cited.update(f"{letter}{n}" for n in range(int(first), int(last) + 1))
    cited.update(_TOKEN.findall(text))
    return cited & SPEC_IDS.keys()


def _python_prose(source: str) -> str:
    comments = [
        token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    ]
    docstrings = [
        ast.get_docstring(node, clean=False) or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    return "\n".join(comments + docstrings)


_TEMPLATE_COMMENTS = re.compile(
    r"\{#.*?#\}|\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}|<!--.*?-->", re.DOTALL
)
_JS_COMMENTS = re.compile(r"/\*.*?\*/|(?<![:\\])//[^\n]*", re.DOTALL)


def covers_of(path: Path) -> str:
    """A guide page's `covers:` header."""
    return " ".join(read_header(path.read_text(encoding="utf-8")).get("covers", []))


def prose_of(path: Path) -> str:
    """The parts of a file that may cite spec ids (see the module docstring)."""
    if path.suffix == ".md" and OUR_PAGES in path.resolve().parents:
        return covers_of(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return _python_prose(text)
    if path.suffix == ".html":
        return "\n".join(_TEMPLATE_COMMENTS.findall(text))
    if path.suffix == ".js":
        return "\n".join(_JS_COMMENTS.findall(text))
    return text  # Markdown content


def citations(paths) -> dict[str, list[str]]:
    """Spec id -> the files (relative to the repository) that cite it."""
    cited: dict[str, list[str]] = {}
    for path in sorted(paths):
        for spec_id in ids_cited_in(prose_of(path)):
            cited.setdefault(spec_id, []).append(str(path.relative_to(REPO)))
    return cited


def files_of_tests() -> list[Path]:
    return [p for p in (REPO / "tests").rglob("*.py") if p.resolve() != THIS_FILE]


def code_and_content_files() -> list[Path]:
    knipa = REPO / "knipa"
    return [
        p
        for suffix in (".py", ".html", ".js", ".md")
        for p in knipa.rglob(f"*{suffix}")
        if p.resolve() != SPEC_LIST and "locale" not in p.relative_to(knipa).parts
    ]


def _uncited_message(missing: set[str], where: str) -> str:
    lines = [f"  {spec_id}: {SPEC_IDS[spec_id]}" for spec_id in sorted(missing, key=_spec_order)]
    return f"{len(missing)} spec id(s) cited by no {where}:\n" + "\n".join(lines)


def _spec_order(spec_id: str) -> int:
    return list(SPEC_IDS).index(spec_id)


# --- The list against the specification ---------------------------------------------------------

_SPEC_LINE = re.compile(r"^- ([A-Z]\d) ")
_FOLLOWING_ID = re.compile(r"(?<=[.;:]) ([A-Z]\d) (?=[A-Z])")


def ids_defined_in(specification: str) -> list[str]:
    """Every id the specification defines: each '- ID ...' line, and ids that follow on the
    same line (``- L1 Stop smoking. L2 Treat cough. L3 ...``)."""
    ids: list[str] = []
    for line in specification.splitlines():
        first = _SPEC_LINE.match(line)
        if first:
            ids.append(first.group(1))
            ids.extend(_FOLLOWING_ID.findall(line))
    return ids


def test_the_spec_list_holds_every_id_of_the_programme_specification():
    if not PROGRAMME_SPECIFICATION.exists():
        pytest.skip(f"the programme specification is not beside this clone ({PROGRAMME_SPECIFICATION})")
    defined = ids_defined_in(PROGRAMME_SPECIFICATION.read_text(encoding="utf-8"))
    assert len(defined) == len(set(defined)), "an id is defined twice in the specification"
    assert set(defined) == set(SPEC_IDS), (
        f"only in the specification: {sorted(set(defined) - set(SPEC_IDS))}; "
        f"only in knipa/program/spec.py: {sorted(set(SPEC_IDS) - set(defined))}"
    )
    assert defined == list(SPEC_IDS), "knipa/program/spec.py lists the ids in another order"


def test_the_spec_list_has_a_summary_for_every_id():
    blank = [spec_id for spec_id, summary in SPEC_IDS.items() if not summary.strip() or "\n" in summary]
    assert not blank, f"ids without a one-line summary: {blank}"


# --- Citations -------------------------------------------------------------------------------------


def test_every_spec_id_is_cited_by_a_test():
    cited = citations(files_of_tests())
    missing = set(SPEC_IDS) - cited.keys() - NOT_YET
    assert not missing, _uncited_message(missing, "test")


def test_every_spec_id_is_cited_by_code_or_content():
    cited = citations(code_and_content_files())
    missing = set(SPEC_IDS) - cited.keys() - NOT_YET
    assert not missing, _uncited_message(missing, "code or content under knipa/")


def test_not_yet_holds_only_ids_still_waiting_for_citations():
    assert NOT_YET <= SPEC_IDS.keys(), f"NOT_YET holds unknown ids: {sorted(NOT_YET - SPEC_IDS.keys())}"
    by_tests = citations(files_of_tests()).keys()
    by_code = citations(code_and_content_files()).keys()
    arrived = sorted(NOT_YET & by_tests & by_code, key=_spec_order)
    assert not arrived, f"now cited by tests and by code or content; remove from NOT_YET: {arrived}"


def guide_languages() -> list[str]:
    return sorted(folder.name for folder in OUR_PAGES.iterdir() if folder.is_dir())


def test_every_fact_a_person_reads_is_covered_by_a_guide_page_in_every_language():
    # spec W1-W6, S1-S5, H1-H3, L1-L5, A1-A3, V1-V4: explained to the reader, in Swedish and English.
    wanted = {spec_id for spec_id in SPEC_IDS if spec_id[0] in GUIDE_LETTERS}
    assert {"sv", "en"} <= set(guide_languages()), "the guide needs Swedish and English pages"
    failures = []
    for language in guide_languages():
        covered: set[str] = set()
        for page in (OUR_PAGES / language).glob("*.md"):
            covered |= ids_cited_in(covers_of(page))
        missing = wanted - covered
        if missing:
            failures.append(f"{language}: " + _uncited_message(missing, f"guide page in {language}"))
    assert not failures, "\n".join(failures)


def test_a_guide_page_cites_by_its_covers_header_only(tmp_path):
    # The text of a page is for its readers; an id that appears in it by chance cites nothing.
    page = OUR_PAGES / "sv" / "how-it-works.md"
    assert OUR_PAGES in page.resolve().parents
    assert ids_cited_in(prose_of(page)) == ids_cited_in(covers_of(page))
    other = tmp_path / "note.md"
    other.write_text("Notes on E5.", encoding="utf-8")
    assert ids_cited_in(prose_of(other)) == {"E5"}


# --- The citation rule itself ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# spec E1", {"E1"}),
        ("# E3: after strength", {"E3"}),
        ("(S1, W5)", {"S1", "W5"}),
        ("# S1/W5 before S2; #E3", {"S1", "W5", "S2", "E3"}),
        ("spec E0-E3, T1–T4", {"E0", "E1", "E2", "E3", "T1", "T2", "T3", "T4"}),
        ("P1-3 and C1 – C3", {"P1", "P2", "P3", "C1", "C2", "C3"}),
        ("L1 L2 L3", {"L1", "L2", "L3"}),
        ("<h1>Title</h1> <H1>", set()),
        ("#E1E1E1 E12 AE1 E1x W9 A4", set()),
    ],
)
def test_the_citation_rule_reads_ids_and_ranges_but_not_look_alikes(text, expected):
    assert ids_cited_in(text) == expected


def test_only_comments_and_docstrings_of_python_cite(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        '"""Module (spec K1)."""\n'
        'labels = ["W1", "W2"]  # weeks, spec V2\n'
        "def rule():\n"
        '    """Rule (E5)."""\n'
        '    return "A3"\n',
        encoding="utf-8",
    )
    assert ids_cited_in(prose_of(module)) == {"K1", "V2", "E5"}
