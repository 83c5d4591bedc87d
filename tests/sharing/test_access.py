"""Who may see what, and how a share starts and stops (issue 16, knipa/sharing/access.py)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from knipa.sharing import access
from knipa.sharing.access import CODE_ALPHABET, CODE_LENGTH, CodeRefused
from knipa.sharing.models import Access, AccessLog, Direction, Scope, Share, ShareCode
from tests.sharing.people import make_clinician

pytestmark = pytest.mark.django_db


@pytest.fixture
def physio():
    return make_clinician()


def test_a_code_is_eight_unambiguous_characters_and_only_its_hash_is_stored(owner):
    code, plain = access.make_code(profile=owner, scopes=["rounds"])
    assert len(plain) == CODE_LENGTH and set(plain) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(plain)
    stored = ShareCode.objects.get(pk=code.pk)
    assert stored.code_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert plain not in str(ShareCode.objects.filter(pk=code.pk).values().first())


def test_a_persons_code_starts_a_share_with_exactly_the_scopes_they_chose(owner, physio):
    _code, plain = access.make_code(profile=owner, scopes=["diary", "rounds"])
    share = access.redeem_code(plain, clinician=physio)
    assert share.profile == owner and share.clinician == physio
    assert Share.objects.get(pk=share.pk).scopes == ["rounds", "diary"]  # as chosen, in the screen's order


def test_a_code_works_once(owner, physio):
    _code, plain = access.make_code(profile=owner, scopes=["rounds"])
    access.redeem_code(plain, clinician=physio)
    other = make_clinician("other", "Olle Annan", "Annan klinik")
    with pytest.raises(CodeRefused) as refused:
        access.redeem_code(plain, clinician=other)
    assert refused.value.reason == "used"
    assert not Share.objects.filter(clinician=other).exists()


def test_a_code_expires(owner, physio):
    made = timezone.now()
    _code, plain = access.make_code(profile=owner, scopes=["rounds"], now=made)
    later = made + timedelta(days=access.PERSON_CODE_DAYS, seconds=1)
    with pytest.raises(CodeRefused) as refused:
        access.redeem_code(plain, clinician=physio, now=later)
    assert refused.value.reason == "expired"
    # The day before, it would have worked.
    assert access.redeem_code(plain, clinician=physio, now=later - timedelta(days=1))


def test_a_code_may_be_typed_in_small_letters_with_a_dash(owner, physio):
    _code, plain = access.make_code(profile=owner, scopes=["rounds"])
    typed = f" {plain[:4].lower()}-{plain[4:].lower()} "
    assert access.redeem_code(typed, clinician=physio).profile == owner


def test_a_code_of_the_other_direction_opens_nothing(owner, stranger, physio):
    _code, clinicians_code = access.make_code(clinician=physio)
    with pytest.raises(CodeRefused) as refused:
        access.redeem_code(clinicians_code, clinician=make_clinician("other", "Olle", "Annan"))
    assert refused.value.reason == "unknown"
    _code, persons_code = access.make_code(profile=owner, scopes=["rounds"])
    with pytest.raises(CodeRefused):
        access.redeem_code(persons_code, profile=stranger, scopes=["rounds"])
    assert not Share.objects.exists()


def test_a_person_enters_a_clinicians_code_with_the_scopes_they_consent_to(owner, physio):
    _code, plain = access.make_code(clinician=physio)
    share = access.redeem_code(plain, profile=owner, scopes=["check_ins"])
    assert (share.profile, share.clinician, share.scopes) == (owner, physio, ["check_ins"])
    with pytest.raises(ValueError):  # a share covers something: consenting to nothing starts none
        access.redeem_code(access.make_code(clinician=physio)[1], profile=owner, scopes=[])


def test_guessing_codes_is_throttled_even_when_the_right_code_comes_last(owner, physio):
    _code, plain = access.make_code(clinician=physio)
    count, _window = access.GUESS_LIMITS[0]
    for guess in range(count):
        with pytest.raises(CodeRefused) as refused:
            access.redeem_code(f"ZZZZZZZ{guess % 10}", profile=owner, scopes=["rounds"])
        assert refused.value.reason == "unknown"
    with pytest.raises(CodeRefused) as refused:
        access.redeem_code(plain, profile=owner, scopes=["rounds"])
    assert refused.value.reason == "throttled"
    assert not Share.objects.exists()


def test_guesses_from_one_address_are_throttled_across_accounts(owner, stranger, physio):
    count, _window = access.GUESS_LIMITS[0]
    for guess in range(count):
        person = owner if guess % 2 else stranger
        with pytest.raises(CodeRefused):
            access.find_code(f"ZZZZZZZ{guess % 10}", direction=Direction.FROM_CLINICIAN, who=f"profile:{person.pk}",
                             client="203.0.113.9")
    with pytest.raises(CodeRefused) as refused:
        access.find_code("ZZZZZZZZ", direction=Direction.FROM_CLINICIAN, who="profile:new", client="203.0.113.9")
    assert refused.value.reason == "throttled"


def test_stopping_takes_effect_at_once(owner, physio):
    share = access.start_share(owner, physio, ["rounds"])
    assert access.active_share(physio, share.pk) == share
    assert access.stop_share(share, by="person")
    assert access.active_share(physio, share.pk) is None
    assert not access.active_shares(physio).exists()
    stored = Share.objects.get(pk=share.pk)
    assert stored.withdrawn_at is not None and stored.withdrawn_by == "person"
    assert not access.stop_share(share, by="person")  # stopping again changes nothing


def test_a_share_is_only_its_own_clinicians_and_only_while_they_are_active(owner, physio):
    share = access.start_share(owner, physio, ["rounds"])
    other = make_clinician("other", "Olle Annan", "Annan klinik")
    assert access.active_share(other, share.pk) is None
    assert access.active_share(None, share.pk) is None
    assert access.active_share(physio, "not a number") is None
    physio.active = False
    physio.save()
    assert access.active_share(physio, share.pk) is None
    # The row in the database decides, not the object the caller holds.
    physio.active = True
    assert access.active_share(physio, share.pk) is None


def test_a_share_covers_only_its_scopes(owner, physio):
    share = access.start_share(owner, physio, ["rounds", "plan"])
    assert access.covers(share, Scope.ROUNDS) and access.covers(share, "plan")
    assert not access.covers(share, Scope.DIARY) and not access.covers(share, Scope.CHECK_INS)
    access.stop_share(share, by="clinician")
    assert not access.covers(share, Scope.ROUNDS)
    assert not access.covers(None, Scope.ROUNDS)


def test_sharing_again_with_the_same_clinician_replaces_what_is_shared(owner, physio):
    first = access.start_share(owner, physio, ["rounds", "diary"])
    again = access.start_share(owner, physio, ["plan"])
    assert again.pk == first.pk and Share.objects.get(pk=first.pk).scopes == ["plan"]
    assert Share.objects.active().filter(profile=owner).count() == 1


def test_the_log_records_each_step_with_the_names_as_they_were(owner, physio):
    share = access.start_share(owner, physio, ["rounds"])
    access.log_access(share, Access.PERSON_PAGE)
    access.stop_share(share, by="person")
    physio.display_name = "Sara Nyttnamn"
    physio.save()
    physio.user.delete()  # the clinician leaves: the person's log still says who it was
    rows = list(AccessLog.objects.filter(profile=owner).order_by("at", "id"))
    assert [row.what for row in rows] == ["share_started", "person_page", "share_stopped"]
    assert {(row.clinician_name, row.clinic_name) for row in rows} == {("Sara Fysio", "Bäckenkliniken")}
    assert all(row.clinician is None for row in rows)


def test_logging_a_read_is_one_insert(owner, physio):
    share = access.start_share(owner, physio, ["rounds"])
    share = access.active_share(physio, share.pk)
    with CaptureQueriesContext(connection) as queries:
        access.log_access(share, Access.ROUNDS)
    assert len(queries.captured_queries) == 1 and queries.captured_queries[0]["sql"].startswith("INSERT")


def test_a_person_cancels_a_code_of_their_own_but_not_anyone_elses(owner, stranger, physio):
    code, plain = access.make_code(profile=owner, scopes=["rounds"])
    assert not access.cancel_code(stranger, code.pk)
    assert access.cancel_code(owner, code.pk)
    with pytest.raises(CodeRefused):
        access.redeem_code(plain, clinician=physio)


def test_the_name_a_person_chooses_goes_with_their_code_onto_the_share_and_nothing_else_does(owner, physio):
    _code, plain = access.make_code(profile=owner, scopes=["rounds"], label="  Anna L.  ")
    share = access.redeem_code(plain, clinician=physio)
    assert share.label == "Anna L."
    # Without a name the clinician sees a number, never the username.
    from knipa.clinic.followup import shown_name

    assert shown_name(share) == "Anna L."
    share.label = ""
    assert owner.user.username not in shown_name(share)
