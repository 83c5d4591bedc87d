"""Swedish and English ship complete, and the compiled catalogues match their sources.

The compiled .mo files are committed, so a fresh machine needs no gettext tools; these tests make
sure nobody forgets to translate or to recompile.
"""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "knipa" / "locale"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def test_every_swedish_text_is_translated_and_none_is_fuzzy():
    po = catalogue("sv")
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert po.metadata["Language"] == "sv"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_compiled_catalogue_matches_its_source(language):
    po = catalogue(language)
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 5) == entry.msgstr_plural[1]
        else:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            assert compiled._catalog.get(key) == entry.msgstr, entry.msgid


def test_placeholders_survive_translation():
    for entry in catalogue("sv").translated_entries():
        for placeholder in ["%(name)s", "%(phone)s", "%(minutes)s", "%(number)s", "%(total)s"]:
            if placeholder in entry.msgid:
                translated = entry.msgstr or " ".join(entry.msgstr_plural.values())
                assert placeholder in translated, entry.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext's xgettext to extract texts")
def test_every_text_in_the_code_is_in_the_catalogue(tmp_path):
    # Extract afresh into a copy of the package and compare with the committed catalogue.
    package = Path(__file__).resolve().parent.parent / "knipa"
    copy = tmp_path / "knipa"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "sv", "--no-obsolete", "--ignore", "static/*"],
        cwd=copy, check=True, capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "knipa.settings_for_tests", "PATH": "/usr/bin:/bin",
             "PYTHONPATH": str(tmp_path), "KNIPA_DATA_DIR": str(tmp_path / "data")},
    )
    fresh = {entry.msgid for entry in polib.pofile(str(copy / "locale" / "sv" / "LC_MESSAGES" / "django.po"))}
    committed = {entry.msgid for entry in catalogue("sv")}
    assert sorted(fresh - committed) == [], "run makemessages and translate the new texts"
