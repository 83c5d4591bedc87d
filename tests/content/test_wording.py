"""The words people read fit their situation and make no promise the guide does not make.

- No mixed messages (S1, W5, K1, E6, W6): a person on the pain path reads nothing that asks them
  to squeeze or that promises what squeeze training does.
- Birth and surgery words (S2, E7, W3): after an operation "your doctor", never "midwife".
- Electrical stimulators (S4, H3): the warning always names all three contraindications.
- Swedish wording (C2, T3, E3, E5, P4): plain, respectful, one word per thing.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_person

pytestmark = pytest.mark.django_db

KNIPA = Path(__file__).resolve().parent.parent.parent / "knipa"
LANGUAGES = ["sv", "en"]


def page(client_factory, profile, name: str, language: str) -> str:
    client = client_factory(profile.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def swedish_catalogue() -> polib.POFile:
    return polib.pofile(str(KNIPA / "locale" / "sv" / "LC_MESSAGES" / "django.po"))


def translations(po: polib.POFile) -> list[str]:
    texts = []
    for entry in po.translated_entries():
        texts.extend(entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr])
    return texts


# --- A. No mixed messages on the pain path ------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_a_pregnant_person_in_pain_reads_no_squeeze_promises_no_training_months_and_no_cough_squeeze(
        client_factory, language):  # spec S1, W5, K1, E6
    person = make_person("pregnant_in_pain", pain=True, pregnant=True, goals=["pregnancy_or_birth", "cough"])
    html = page(client_factory, person, "today:home", language)
    assert {"sv": "Öva på att slappna av", "en": "Practise letting go"}[language] in html  # the pain path
    for text in {
        "en": ["good during pregnancy", "two months", "six months", "before you cough", "The squeeze in daily life"],
        "sv": ["bra under graviditeten", "två månader", "sex månader", "innan du hostar", "Knipet i vardagen"],
    }[language]:
        assert text not in html, text
    # The cough is still worth treating (W4, L2), said without a squeeze.
    assert {"sv": "långvarig hosta", "en": "long-lasting cough"}[language] in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plan_page_on_the_pain_path_says_the_squeezing_stages_are_for_later(client_factory, language):  # S1
    person = make_person("in_pain", pain=True)
    html = page(client_factory, person, "training:plan", language)
    assert {"sv": "Så länge du har ont gör du inga knipövningar",
            "en": "While you have pain, you do no squeezing exercises"}[language] in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_squeeze_in_daily_life_may_come_by_itself_but_is_not_promised_to_protect_against_leaks(
        client_factory, language):  # spec E6, W6
    person = make_person("learner")
    html = page(client_factory, person, "today:home", language)
    assert {"sv": "komma av sig självt", "en": "come by itself"}[language] in html
    for text in ["protects against leaks", "becomes automatic", "skyddar mot läckage", "blir det automatiskt"]:
        assert text not in html, text


def test_no_text_in_either_language_promises_protection_against_leakage():  # spec W6
    po = swedish_catalogue()
    assert not [e.msgid for e in po if re.search(r"protects? (you )?against leak", e.msgid, re.I)]
    assert not [t for t in translations(po) if re.search(r"skyddar (dig )?mot läckage", t, re.I)]


# --- C. Birth and surgery words -----------------------------------------------------------------

AFTER_SURGERY = {
    "circulation": {"recent_event": "surgery"},
    "careful_start": {"recent_event": "surgery", "go_ahead": True},
    "in_pain": {"recent_event": "surgery", "pain": True},
    "long_after_without_go_ahead": {"recent_event": "surgery",
                                    "event_on": (timezone.now() - timedelta(weeks=20)).date()},
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("situation", sorted(AFTER_SURGERY))
@pytest.mark.parametrize("name", ["today:home", "training:plan"])
def test_after_prostate_surgery_a_person_with_a_penis_never_reads_midwife(
        client_factory, name, situation, language):  # spec S2, W3
    person = make_person(f"operated_{situation}", body="penis", goals=["surgery", "cough"], **AFTER_SURGERY[situation])
    html = page(client_factory, person, name, language).lower()
    assert "midwife" not in html
    assert "barnmorsk" not in html
    if name == "today:home" and situation in ("circulation", "long_after_without_go_ahead"):
        assert {"sv": "läkare", "en": "doctor"}[language] in html  # whoever treated them is named


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_circulation_guide_after_an_operation_names_the_doctor_and_says_softly_and_only_without_pain(
        client_factory, language):  # spec E7, S2, W3
    person = make_person("operated", body="penis", recent_event="surgery")
    html = page(client_factory, person, "today:home", language)
    expected = {
        "en": ["soon after the operation", "only softly, and only if they do not hurt",
               "Follow the advice your doctor has given you", "My doctor has given me the go-ahead"],
        "sv": ["strax efter operationen", "bara mjukt, och bara om det inte gör ont",
               "Följ de råd som din läkare har gett dig", "Min läkare har gett mig klartecken"],
    }[language]
    for text in expected:
        assert text in html, text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_circulation_guide_after_a_birth_names_the_midwife_or_doctor(client_factory, language):  # E7, S2
    person = make_person("mother", recent_event="childbirth")
    html = page(client_factory, person, "today:home", language)
    expected = {
        "en": ["soon after the birth", "only softly, and only if they do not hurt",
               "Follow the advice your midwife or doctor has given you"],
        "sv": ["strax efter förlossningen", "bara mjukt, och bara om det inte gör ont",
               "Följ de råd som din barnmorska eller läkare har gett dig"],
    }[language]
    for text in expected:
        assert text in html, text


# --- B. Electrical stimulators ------------------------------------------------------------------

CONTRAINDICATIONS = {"en": ["pacemaker", "pregnant", "infection"], "sv": ["pacemaker", "gravid", "infektion"]}
STIMULATOR = {"en": "electrical stimulator", "sv": "elstimulator"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("body", ["vagina", "penis", "neutral"])
def test_the_stimulator_warning_names_a_pacemaker_pregnancy_and_an_infection(client_factory, body, language):  # S4, H3
    person = make_person(f"learner_{body}", body=body)
    html = page(client_factory, person, "today:home", language)
    warnings = [p for p in re.findall(r"<p[^>]*>(.*?)</p>", html, re.S) if STIMULATOR[language] in p.lower()
                and ("Do not use" in p or "Använd inte" in p)]
    assert warnings, "the guide to finding the muscles describes stimulators with their warning"
    for warning in warnings:
        for word in CONTRAINDICATIONS[language]:
            assert word in warning, (word, warning)
    weights = {"en": "Vaginal weights", "sv": "Kniptyngder"}[language]
    assert (weights in html) is (body != "penis")  # H3: weights go in the vagina


@pytest.mark.parametrize("situation", [{"pain": True, "pregnant": True}, {"recent_event": "childbirth", "pregnant": True},
                                       {"pregnant": True}])
@pytest.mark.parametrize("language", LANGUAGES)
def test_wherever_a_page_speaks_of_stimulators_all_three_contraindications_are_named(
        client_factory, situation, language):  # spec S4
    person = make_person("anyone", **situation)
    for name in ["today:home", "training:plan"]:
        html = page(client_factory, person, name, language).lower()
        if STIMULATOR[language] in html:
            for word in CONTRAINDICATIONS[language]:
                assert word in html, (name, word)


def test_every_template_that_mentions_a_stimulator_names_all_three_contraindications():  # spec S4
    for template in KNIPA.rglob("*.html"):
        text = template.read_text()
        if "stimulator" in text.lower():
            for word in CONTRAINDICATIONS["en"]:
                assert word in text, (template.name, word)


# --- D. Swedish wording -------------------------------------------------------------------------

def test_the_swedish_self_check_for_a_vagina_says_the_fingers_go_into_the_vagina(client_factory):  # spec C2
    person = make_person("learner_sv", body="vagina")
    html = page(client_factory, person, "today:home", "sv")
    assert "några centimeter in i slidan" in html
    assert "rör sig på sidorna" in html


def test_the_english_self_check_for_a_vagina_says_the_fingers_go_into_the_vagina(client_factory):  # spec C2
    html = page(client_factory, make_person("learner_en", body="vagina"), "today:home", "en")
    assert "a few centimetres into the vagina" in html


def test_the_swedish_catalogue_speaks_plainly_and_respectfully():  # spec T3, E3, V1
    texts = translations(swedish_catalogue())
    for pattern in [r"\bfis\b", r"\btroget\b", r"hitta knipet igen", r"hitta det igen", r"lagom kraft"]:
        assert not [t for t in texts if re.search(pattern, t, re.I)], pattern
    assert [t for t in texts if "hålla inne gaser" in t]  # T3, as if holding back gas
    assert [t for t in texts if "fånga upp knipet igen" in t]  # E3, catch the squeeze again
    assert [t for t in texts if "måttlig kraft" in t]  # E3


def test_the_swedish_catalogue_has_one_name_for_standing_and_for_functional_training():  # spec E4, E5, P4
    po = swedish_catalogue()
    by_id = {e.msgid: e.msgstr for e in po if not e.msgid_plural}
    assert by_id["Standing training"] == "Stående träning"
    assert by_id["Functional training"] == "Funktionell träning"
    assert by_id["Functional squeeze"] == "Funktionella knip"
    texts = translations(po)
    assert not [t for t in texts if "Träning stående" in t or "Knip vid rörelse" in t]


def test_the_swedish_catalogue_says_vet_inte_for_every_not_sure():
    by_id = {e.msgid: e.msgstr for e in swedish_catalogue() if not e.msgid_plural}
    assert by_id["Not sure"] == by_id["Unsure"] == "Vet inte"
