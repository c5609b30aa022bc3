"""The indicators bench's harness (bench/indicators.py): it compares the snapshot's compute with
a hand-written baseline over the same rows, flags a baseline that disagrees, and times the
regulators' page for the province and a county (here the bench's stand-in page)."""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

import pytest
from django.utils import timezone

from yiyang.compliance import indicators
from yiyang.demo.scale import ScaleSpec, generate
from yiyang.orgs.models import NursingHome
from yiyang.residents.models import Person, Vaccination

BENCH = Path(__file__).resolve().parents[2] / "bench" / "indicators.py"
ON = timezone.localdate()  # gen admits residents 1 day to 3 years before today


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_indicators_under_test", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def bench():  # type: ignore[no-untyped-def]
    from django.urls import clear_url_caches

    from yiyang import urls

    module = _bench()
    module._register_standin_indicator()
    patterns = list(urls.urlpatterns)
    yield module
    indicators.unregister(module.STANDIN_CODE)
    urls.urlpatterns[:] = patterns  # the stand-in page must not outlive the test
    clear_url_caches()


def _one_home_of_four(cast) -> str:  # type: ignore[no-untyped-def]
    """A generated home (first county of 河南, away from the demo's 开封) with 4 residents:
    two vaccinated by ON (a dose; a booster), one contraindicated, one dosed only after ON."""
    before = set(NursingHome.objects.values_list("pk", flat=True))
    generate(ScaleSpec(homes=1, residents=4, seed="bench", extras=False), log=lambda _: None)
    home = NursingHome.objects.exclude(pk__in=before).get()
    persons = list(Person.objects.filter(org=home).order_by("pk"))
    assert len(persons) == 4
    for person, kind, day in zip(persons, ["dose", "booster", "contraindication", "dose"],
                                 [date(2021, 5, 1), date(2022, 1, 3), date(2021, 5, 1),
                                  ON + timedelta(days=1)], strict=True):
        Vaccination.objects.create(person=person, org=home, region_code=home.region_code,
                                   kind=kind, given_on=day, dose_number=1)
    return home.region_code[:6]


def test_the_standin_and_its_baseline_agree_with_a_hand_count(cast, bench) -> None:
    county = _one_home_of_four(cast)
    out = bench.measure_compute(ON, county, 1, {bench.STANDIN_CODE: bench._standin_baseline})
    [row] = [r for r in out["indicators"] if r["code"] == bench.STANDIN_CODE]
    assert row["compute"] == [2, 4]
    assert row["baseline"] == [2, 4]
    assert row["match"] is True
    assert out["mismatches"] == 0
    assert out["ratio"] is not None and out["ratio"] > 0


def test_a_wrong_baseline_is_reported_as_a_mismatch(cast, bench) -> None:
    county = _one_home_of_four(cast)
    wrong = {bench.STANDIN_CODE: lambda cursor, prefix, on: (3, 4)}
    out = bench.measure_compute(ON, county, 1, wrong)
    [row] = [r for r in out["indicators"] if r["code"] == bench.STANDIN_CODE]
    assert row["match"] is False
    assert out["mismatches"] == 1


def test_baselines_are_discovered_and_a_code_defined_twice_is_refused(tmp_path) -> None:
    bench = _bench()
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "one.py").write_text("BASELINES = {'a': lambda c, p, o: (1, 2)}\n")
    (tmp_path / "two.py").write_text("BASELINES = {'b': lambda c, p, o: (0, 1)}\n")
    found = bench.discover_baselines(tmp_path)
    assert sorted(found) == ["a", "b"]
    assert found["a"](None, "41", ON) == (1, 2)
    (tmp_path / "three.py").write_text("BASELINES = {'a': lambda c, p, o: (0, 0)}\n")
    with pytest.raises(SystemExit, match="baseline a defined twice"):
        bench.discover_baselines(tmp_path)


def test_the_page_is_timed_for_the_province_and_a_county(cast, bench) -> None:
    _one_home_of_four(cast)
    page = bench.measure_page(ON, 1, True)
    if "skipped" in page:  # the real dashboard is merged but has no gen logins: impossible
        pytest.fail(page["skipped"])
    assert page["province_s"] > 0 and page["county_s"] > 0
    assert page["ratio"] == page["province_s"] / page["county_s"]
    # The province's page lists its cities' rows, a county's its institutions'.
    assert page["province_bytes"] > 0 and page["county_bytes"] > 0
