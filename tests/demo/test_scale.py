"""`yiyang gen` (demo/scale.py): synthetic homes and residents at any scale, for benchmarks."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from yiyang.core.identifiers import parse_id_number
from yiyang.demo.scale import ScaleSpec, _admissions, generate
from yiyang.orgs.models import Bed, NursingHome, Regulator
from yiyang.residents.models import OPEN_STATUSES, Person, Stay


def test_residents_are_spread_over_homes_in_the_province_with_valid_ids(cast) -> None:
    before = set(NursingHome.objects.values_list("pk", flat=True))
    made = generate(ScaleSpec(homes=3, residents=10, seed="t"), log=lambda _: None)
    homes = list(NursingHome.objects.exclude(pk__in=before).order_by("pk"))
    assert made["homes"] == len(homes) == 3
    assert made["residents"] == 10
    counts = [Stay.objects.filter(home=h, status__in=OPEN_STATUSES).count() for h in homes]
    assert counts == [4, 3, 3]  # 10 over 3 homes, the remainder to the first
    assert all(h.region_code.startswith("41") for h in homes)
    assert len({h.region_code for h in homes}) == 3  # one county after another
    for home, count in zip(homes, counts, strict=True):
        assert Bed.objects.filter(home=home).count() >= count  # spare beds
    persons = Person.objects.filter(org__in=homes)
    assert persons.count() == 10
    for person in persons:
        parsed = parse_id_number(person.id_number)
        assert parsed.birth_date == person.birth_date
    # Every county, city and the province has its civil-affairs and health regulators.
    for home in homes:
        assert Regulator.objects.filter(region=home.region, department="civil_affairs").exists()
    # The province's regulator reads them all; home C's staff none.
    province = cast.actor("officer_prov")
    assert Person.objects.visible_to(province).filter(org__in=homes).count() == 10
    assert not Person.objects.visible_to(cast.actor("nurse_c")).filter(org__in=homes).exists()


def _people(seed: str) -> list[tuple[str, str, str]]:
    home = NursingHome(region_code="410221")
    rows = _admissions(home, 50, random.Random(seed), set(), date(2026, 12, 5))
    return [(a.name, a.id_number, str(a.bed)) for a in rows]


def test_same_seed_gives_the_same_people() -> None:
    first = _people("same")
    assert len({number for _, number, _ in first}) == 50  # unique ID numbers
    assert _people("same") == first
    assert _people("other") != first


def test_bad_arguments_are_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="机构数至少为 1"):
        ScaleSpec(homes=0)


def test_unknown_province_is_a_command_error(cast) -> None:
    with pytest.raises(CommandError, match="没有 990000 的县级区划"):
        call_command("gen", "--province", "990000", "--homes", "1", "--residents", "0")


# --- the indicators' sources (demo/scale_extras.py) -------------------------------------------

_SOURCES = (
    # (model label, its owner field: every row's region_code is that organisation's)
    ("residents.Vaccination", "org"),
    ("residents.Condition", "org"),
    ("assessments.AdmissionAssessment", "home"),
    ("assessments.Assessment", "home"),
    ("care.EducationSession", "home"),
    ("compliance.ObligationRecord", "home"),
    ("agreements.Agreement", "home"),
    ("agreements.PatrolVisit", "home"),
    ("infection.StaffPost", "home"),
    ("infection.StaffDose", "home"),
    ("orgs.Membership", "org"),
    ("community.LedgerEntry", "org"),
    ("community.FamilyDoctorContract", "entry__org"),
    ("compliance.TrainingCourse", "org"),
)


def _other_province_officer():  # type: ignore[no-untyped-def]
    from yiyang.core.permissions import OrgKind, Role
    from yiyang.orgs.actors import actor_for
    from yiyang.orgs.models import Membership, User
    from yiyang.regions.models import Region

    hubei = Region.objects.get(code="420000")
    reg = Regulator.objects.create(kind=OrgKind.REGULATOR, name="湖北省民政厅",
                                   short_name="湖北民政",
                                   credit_code="11420000MB0000000X", region=hubei,
                                   region_code=hubei.code, department="civil_affairs",
                                   level="province")
    user = User.objects.create(username="officer_hubei")
    membership = Membership.objects.create(user=user, org=reg, region_code=reg.region_code,
                                           role=Role.REGULATOR_OFFICER)
    return actor_for(membership)


def test_every_indicator_source_gets_rows_scoped_to_the_generated_homes(cast) -> None:
    from django.apps import apps

    from yiyang.demo.scale_extras import GEN_USER_PREFIX
    from yiyang.orgs.models import Organisation, User

    before = set(Organisation.objects.values_list("pk", flat=True))
    made = generate(ScaleSpec(homes=3, residents=60, seed="extras"), log=lambda _: None)
    new_orgs = Organisation.objects.exclude(pk__in=before)
    homes = list(NursingHome.objects.filter(pk__in=new_orgs))
    assert len(homes) == 3
    codes = {o.pk: o.region_code for o in new_orgs}
    province = cast.actor("officer_prov")
    hubei = _other_province_officer()
    for label, owner in _SOURCES:
        model = apps.get_model(label)
        rows = model.objects.filter(**{f"{owner}__in": list(codes)})
        assert rows.exists(), label
        staff = (rows.filter(org__kind__in=["home", "medical"]) if label == "orgs.Membership"
                 else rows)
        assert made[label] == staff.count(), label  # regulators' logins come on top
        for region_code, owner_id in rows.values_list("region_code", f"{owner}_id"
                                                      if "__" not in owner else owner):
            assert region_code == codes[owner_id], label
        # The province's regulator reads every row; another province's none of them.
        assert model.objects.visible_to(province).filter(
            **{f"{owner}__in": list(codes)}).count() == rows.count(), label
        assert not model.objects.visible_to(hubei).filter(
            **{f"{owner}__in": list(codes)}).exists(), label
    # Some of each: overdue re-assessments exist next to on-time ones, agreements in force.
    from yiyang.agreements.models import Agreement
    from yiyang.assessments.models import Assessment

    assert Agreement.objects.filter(home__in=homes, state="active").exists()
    assert Assessment.objects.filter(home__in=homes, reason="first", status="final").count() > 40
    # Staff courses complete under infection's rule for most, not all (two inactivated doses).
    from yiyang.compliance import indicators

    staff = indicators.get("staff_vaccination").compute([h.pk for h in homes], timezone.localdate())
    full = sum(v.numerator for v in staff.values())
    assert 0 < full < sum(v.denominator for v in staff.values())
    # The partner medical institutions have staff, some of them trained (§五).
    medical = [pk for pk, kind in new_orgs.values_list("pk", "kind") if kind == "medical"]
    trained = indicators.get("staff_training_medical").compute(medical, timezone.localdate())
    assert sum(v.denominator for v in trained.values()) >= 5 * len(medical) > 0
    assert sum(v.numerator for v in trained.values()) > 0
    # One login per regulator of the province, none a demo persona or with a password.
    reg = Regulator.objects.get(region_code="410000", department="civil_affairs")
    login = User.objects.get(username=f"{GEN_USER_PREFIX}{reg.credit_code}")
    assert not login.is_demo and not login.has_usable_password()
    assert made["logins"] >= 3 * 2


def test_no_extras_adds_only_homes_and_residents(cast) -> None:
    from yiyang.residents.models import Vaccination

    before = set(NursingHome.objects.values_list("pk", flat=True))
    generate(ScaleSpec(homes=1, residents=5, seed="bare", extras=False), log=lambda _: None)
    home = NursingHome.objects.exclude(pk__in=before).get()
    assert Stay.objects.filter(home=home).count() == 5
    assert not Vaccination.objects.filter(org=home).exists()


def test_outbreak_reports_climb_the_chain_with_their_two_hour_clocks(cast, monkeypatch) -> None:
    from datetime import timedelta

    from yiyang.care.models import PressureInjury
    from yiyang.compliance.models import ClinicFiling
    from yiyang.demo import scale_extras
    from yiyang.infection.models import Outbreak, OutbreakReport

    monkeypatch.setitem(scale_extras.SHARES, "outbreak", 1.0)
    monkeypatch.setitem(scale_extras.SHARES, "pressure_injury", 1.0)
    monkeypatch.setitem(scale_extras.SHARES, "clinic_filing", 1.0)
    before = set(NursingHome.objects.values_list("pk", flat=True))
    generate(ScaleSpec(homes=2, residents=8, seed="chain"), log=lambda _: None)
    homes = list(NursingHome.objects.exclude(pk__in=before).order_by("pk"))
    for home in homes:
        outbreak = Outbreak.objects.get(home=home)
        chain = list(OutbreakReport.objects.filter(outbreak=outbreak).order_by("received_at"))
        county = home.region_code[:6]
        # home -> county civil affairs -> city -> province, each sent by the one before
        assert [r.to_org.region_code for r in chain] == [
            county, county[:4] + "00", county[:2] + "0000"]
        assert [r.level for r in chain] == ["county", "city", "province"]
        assert chain[0].from_org_id == home.pk and chain[0].region_code == home.region_code
        assert chain[0].received_at > outbreak.opened_at
        for before_hop, hop in zip(chain, chain[1:], strict=False):
            assert hop.from_org_id == before_hop.to_org_id
            assert hop.parent_id == before_hop.pk
            assert hop.region_code == before_hop.to_org.region_code
            assert hop.received_at == before_hop.forwarded_at
        for hop in chain:
            assert hop.due_at == hop.received_at + timedelta(hours=2)
            assert (hop.overdue_since is not None) == (hop.forwarded_at > hop.due_at)
        # every resident has a lesion, its history starting at the stage it was found with
        lesions = PressureInjury.objects.filter(home=home)
        assert lesions.count() == Stay.objects.filter(home=home).count()
        for lesion in lesions:
            history = list(lesion.observations.order_by("observed_at"))
            assert history[0].stage == lesion.initial_stage
            assert history[-1].stage == lesion.stage
            assert (lesion.healed_on is not None) == (lesion.stage == "healed")
        assert ClinicFiling.objects.filter(home=home, region_code=home.region_code).count() == 1
