"""`yiyang gen` (demo/scale.py): synthetic homes and residents at any scale, for benchmarks."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.core.management import CommandError, call_command

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
