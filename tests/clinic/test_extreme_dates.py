"""The clinician's pages render whatever the person's data holds (as the person's own pages do,
tests/test_extreme_dates.py): rounds, check-ins, diary lines, plan changes and a share at the
calendar's very ends, for a person far east and far west, never give a 500."""

from __future__ import annotations

import pytest

from knipa.sharing.models import Scope
from tests.clinicians.people import verified_client
from tests.conftest import make_person
from tests.test_extreme_dates import ZONES, seed_the_calendars_ends

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("zone", ZONES)
def test_every_clinic_page_renders_a_person_with_dates_at_the_calendars_ends(zone):
    person = make_person("far-away", time_zone=zone)
    share = seed_the_calendars_ends(person)["share"]
    share.scopes = [scope.value for scope in Scope]
    share.save(update_fields=["scopes"])
    browser = verified_client(share.clinician.user)
    for path in ("/clinic/", f"/clinic/people/{share.pk}/", f"/clinic/people/{share.pk}/summary/"):
        answer = browser.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
    assert f"Person {share.pk}" in browser.get("/clinic/").content.decode()
