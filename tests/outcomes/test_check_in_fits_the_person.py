"""The check-in on a phone and for the person's own reasons (issue 15, item 7): the 0-10 scales are
fieldsets of eleven radio buttons with their ends tied to each button, the statements are the
checkboxes' own labels, and someone who trains for leaks of gas or stool, or for a prolapse, is
asked about those too; the answers reach the progress page, the summary and the export."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from knipa.outcomes.models import CheckIn
from knipa.personal_data.export import check_export, export_person
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

ANSWERS = {"frequency": "3", "amount": "2", "bother": "6", "confidence": "4", "pain": "no"}


def client_for(client_factory, profile, language="en"):
    client = client_factory(profile.user)
    client.cookies["knipa_language"] = language
    return client


def test_a_scale_is_a_fieldset_of_eleven_radios_each_described_by_its_ends(client_factory):
    profile = make_person("scales")
    html = client_for(client_factory, profile).get(reverse("outcomes:check_in")).content.decode()
    fieldset = re.search(r'<fieldset class="scale".*?</fieldset>', html, re.S).group(0)
    assert "<legend>How much do your symptoms bother you?</legend>" in fieldset
    radios = re.findall(r'<input type="radio" name="bother"[^>]*>', fieldset)
    assert len(radios) == 11
    assert all('aria-describedby="id_bother_ends"' in radio for radio in radios)
    assert re.search(r'<p class="scale__ends" id="id_bother_ends"><span>0 = not at all</span> '
                     r'<span>10 = very much</span></p>', fieldset)


def test_a_statement_is_the_checkboxs_own_label_without_a_colon(client_factory):
    profile = make_person("statements")
    html = client_for(client_factory, profile).get(reverse("outcomes:check_in")).content.decode()
    label = re.search(r'<label class="statement" for="id_avoids_sex">(.*?)</label>', html, re.S).group(1)
    assert '<input type="checkbox" name="avoids_sex"' in label
    assert "<span>Because of my symptoms I avoid sex</span>" in label
    assert "I avoid sex:" not in html


def test_the_scales_speak_swedish_on_a_swedish_page(client_factory):
    profile = make_person("skalor")
    html = client_for(client_factory, profile, "sv").get(reverse("outcomes:check_in")).content.decode()
    assert "0 = inte alls" in html and "10 = väldigt mycket" in html


def test_only_urine_is_asked_of_someone_who_trains_for_leaking_urine(client_factory):
    profile = make_person("urine", goals=["urinary_leakage"])
    html = client_for(client_factory, profile).get(reverse("outcomes:check_in")).content.decode()
    assert 'name="frequency"' in html
    assert 'name="bowel_leaks"' not in html and 'name="heaviness"' not in html


def test_leaks_of_gas_or_stool_and_heaviness_are_asked_of_those_who_train_for_them(client_factory):
    profile = make_person("both-reasons", goals=["faecal_leakage", "prolapse"])
    client = client_for(client_factory, profile)
    html = client.get(reverse("outcomes:check_in")).content.decode()
    assert "How often do you leak gas or stool without meaning to?" in html
    assert "How often do you feel heaviness, pressure or a bulge down below?" in html
    client.post(reverse("outcomes:check_in"), {**ANSWERS, "bowel_leaks": "3", "heaviness": "4"})
    saved = CheckIn.objects.get(profile=profile)
    assert (saved.bowel_leaks, saved.heaviness) == (3, 4)

    progress = client.get(reverse("outcomes:progress")).content.decode()
    assert re.search(r'data-testid="latest-bowel-leaks">A few times a week<', progress)
    assert re.search(r'data-testid="latest-heaviness">Every day<', progress)
    summary = client.get(reverse("data:summary")).content.decode()
    assert "Leaks of gas or stool" in summary and "Heaviness or a bulge" in summary

    exported = export_person(profile)
    assert exported["check_ins"][0]["bowel_leaks"] == 3 and exported["check_ins"][0]["heaviness"] == 4
    check_export(json.loads(json.dumps(exported)))  # and it reads back


def test_an_answer_not_among_the_choices_is_refused_and_nothing_is_saved(client_factory):
    profile = make_person("bad-heaviness", goals=["prolapse"])
    response = client_for(client_factory, profile).post(reverse("outcomes:check_in"), {**ANSWERS, "heaviness": "9"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CheckIn.objects.filter(profile=profile).exists()


def test_a_question_not_asked_is_stored_as_not_asked_and_left_out_of_the_pages(client_factory):
    profile = make_person("no-extras", goals=["urinary_leakage"])
    client = client_for(client_factory, profile)
    # Even when sent anyway, a question the person was not asked stores nothing.
    client.post(reverse("outcomes:check_in"), {**ANSWERS, "bowel_leaks": "4"})
    saved = CheckIn.objects.get(profile=profile)
    assert (saved.bowel_leaks, saved.heaviness) == (None, None)
    assert "Leaks of gas or stool" not in client.get(reverse("outcomes:progress")).content.decode()
    assert "Leaks of gas or stool" not in client.get(reverse("data:summary")).content.decode()


def test_an_export_from_before_these_questions_still_imports():
    old = {"at": "2026-01-05T10:00:00+01:00", "frequency": 3, "amount": 2, "bother": 6, "confidence": 4,
           "avoids_activity": False, "avoids_friends": False, "avoids_sex": False, "improvement": None}
    from knipa.personal_data.export import CheckInData
    assert CheckInData.model_validate(old).heaviness is None
