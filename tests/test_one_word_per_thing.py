"""One word per thing in the Swedish catalogue (issue 15, item 11c): the "unsure" answer is always
"Vet inte", and downloading is always "Ladda ner"."""

from __future__ import annotations

from pathlib import Path

import polib

SWEDISH = Path(__file__).resolve().parent.parent / "knipa" / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def swedish_texts() -> list[tuple[str, str]]:
    texts = []
    for entry in polib.pofile(str(SWEDISH)):
        if entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                texts.append((entry.msgid, text))
    return texts


def test_downloading_is_always_ladda_ner():
    assert [msgid for msgid, text in swedish_texts() if "ladda ned" in text.lower() or "laddas ned" in text.lower()] \
        == []


def test_the_unsure_answer_is_always_vet_inte():
    answers = {msgid: text for msgid, text in swedish_texts() if msgid in ("Unsure", "Not sure")}
    assert answers and set(answers.values()) == {"Vet inte"}
    assert not [msgid for msgid, text in swedish_texts() if text.strip(" .") in ("Osäker", "Osäkert")]
