"""The person's sharing pages (/account/sharing/): consent, codes, stopping, the access log, and
that nobody else reaches any of it (issue 16)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knipa.sharing import access
from knipa.sharing.models import Access, AccessLog, Prescription, Share, ShareCode
from tests.sharing.people import give_a_share, make_clinician

pytestmark = pytest.mark.django_db

CODE_ON_PAGE = re.compile(r'data-testid="share-code">([A-Z2-9]{4}-[A-Z2-9]{4})<')


@pytest.fixture
def physio():
    return make_clinician()


def test_the_consent_screen_explains_each_scope_and_ticks_only_rounds_and_plan(owner_client):
    owner_client.cookies["knipa_language"] = "en"
    html = owner_client.get(reverse("sharing:share")).content.decode()
    for words in ("how long you held", "every change with its reason", "each leak you noted",
                  "went to the toilet"):
        assert words in html or words in html.replace("&#x27;", "'"), words
    ticked = re.findall(r'<input type="checkbox" name="scopes" value="(\w+)"[^>]*checked', html)
    assert ticked == ["rounds", "plan"]
    assert "Stopping takes effect at once" in html or "Det gäller direkt" in html


def test_the_consent_screen_is_in_swedish_by_default(owner_client):
    html = owner_client.get(reverse("sharing:share")).content.decode()
    assert 'lang="sv"' in html


def test_sharing_shows_a_code_once_that_starts_a_share_with_exactly_the_ticked_scopes(owner, owner_client, physio):
    response = owner_client.post(reverse("sharing:share"), {"scopes": ["plan", "check_ins"]})
    assert response.status_code == 200
    html = response.content.decode()
    shown = CODE_ON_PAGE.search(html).group(1)
    assert f"/clinic/connect/{shown.replace('-', '')}/" in html  # the link for the clinician
    code = ShareCode.objects.get(profile=owner)
    assert code.scopes == ["plan", "check_ins"] and shown.replace("-", "") not in code.code_hash
    share = access.redeem_code(shown, clinician=physio)
    assert share.scopes == ["plan", "check_ins"]
    # The overview never shows the code again.
    assert shown not in owner_client.get(reverse("sharing:overview")).content.decode()


def test_sharing_nothing_is_refused_at_the_field(owner, owner_client):
    response = owner_client.post(reverse("sharing:share"), {})
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html and "errorlist" in html
    assert not ShareCode.objects.filter(profile=owner).exists()


def test_a_clinicians_code_leads_to_a_consent_screen_naming_them_and_then_to_the_share(owner, owner_client, physio):
    _code, plain = access.make_code(clinician=physio)
    response = owner_client.post(reverse("sharing:enter_code"), {"code": plain.lower()})
    html = response.content.decode()
    assert "Sara Fysio" in html and "Bäckenkliniken" in html
    assert not Share.objects.exists()  # nothing shared before the person confirms
    response = owner_client.post(reverse("sharing:enter_code"),
                                 {"step": "consent", "code": plain, "scopes": ["rounds", "diary"]})
    assert response.status_code == 302
    share = Share.objects.get(profile=owner)
    assert (share.clinician, share.scopes) == (physio, ["rounds", "diary"])


def test_consenting_to_nothing_shows_the_consent_screen_again_with_the_error(owner, owner_client, physio):
    _code, plain = access.make_code(clinician=physio)
    response = owner_client.post(reverse("sharing:enter_code"), {"step": "consent", "code": plain})
    html = response.content.decode()
    assert "Sara Fysio" in html and "errorlist" in html
    assert not Share.objects.exists()


def test_a_wrong_code_is_explained_at_the_field(owner_client):
    response = owner_client.post(reverse("sharing:enter_code"), {"code": "ABCD-EFGH"})
    html = response.content.decode()
    assert response.status_code == 200 and "errorlist" in html and 'aria-invalid="true"' in html


def test_guessing_codes_on_the_page_ends_in_a_429(owner_client):
    count, _window = access.GUESS_LIMITS[0]
    for guess in range(count):
        assert owner_client.post(reverse("sharing:enter_code"), {"code": f"ZZZZZZZ{guess % 10}"}).status_code == 200
    response = owner_client.post(reverse("sharing:enter_code"), {"code": "ZZZZZZZZ"})
    assert response.status_code == 429 and response["Retry-After"]


def test_stop_sharing_on_the_page_takes_effect_at_once(owner, owner_client, physio):
    share = give_a_share(owner, physio)
    html = owner_client.get(reverse("sharing:overview")).content.decode()
    assert "Sara Fysio" in html and "Bäckenkliniken" in html
    owner_client.post(reverse("sharing:stop", kwargs={"share_id": share.pk}))
    assert access.active_share(physio, share.pk) is None
    assert AccessLog.objects.filter(profile=owner, what=Access.SHARE_STOPPED).exists()


def test_the_access_log_shows_who_looked_at_what_in_the_persons_time_zone(owner, owner_client, physio):
    share = access.start_share(owner, physio, ["rounds"])
    moment = timezone.now().replace(hour=3, minute=7, second=0, microsecond=0) - timedelta(days=1)
    access.log_access(share, Access.ROUNDS, now=moment)
    owner_client.post(reverse("content:set_language"), {"language": "en"})
    html = owner_client.get(reverse("sharing:log")).content.decode()
    local = moment.astimezone(owner.zone)  # Pacific/Chatham: never the server's or UTC
    assert local.strftime("%H:%M") in html and "Looked at your training rounds" in html and "Sara Fysio" in html


def test_a_stranger_gets_nothing_from_the_owners_sharing(owner, stranger, stranger_client, physio):
    share = give_a_share(owner, physio)
    suggestion = Prescription.objects.get(profile=owner)
    code = ShareCode.objects.get(profile=owner)
    for name, kwargs in (("sharing:stop", {"share_id": share.pk}), ("sharing:cancel_code", {"code_id": code.pk}),
                         ("sharing:prescription", {"prescription_id": suggestion.pk})):
        url = reverse(name, kwargs=kwargs)
        assert stranger_client.get(url).status_code in (404, 405)
        assert stranger_client.post(url, {"answer": "accept"}).status_code == 404
    for name in ("sharing:overview", "sharing:log"):
        html = stranger_client.get(reverse(name)).content.decode()
        assert "Sara Fysio" not in html
    assert access.active_share(physio, share.pk) is not None
    assert ShareCode.objects.filter(pk=code.pk).exists()
    assert Prescription.objects.get(pk=suggestion.pk).status == "pending"


def test_a_clinician_signed_in_gets_no_persons_sharing_page(client_factory, physio):
    response = client_factory(physio.user).get(reverse("sharing:overview"))
    assert response.status_code == 302 and response["Location"] == reverse("clinic:home")


def test_the_account_page_links_to_sharing(owner_client):
    assert reverse("sharing:overview") in owner_client.get(reverse("accounts:account")).content.decode()
