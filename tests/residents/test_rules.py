"""Tests for yiyang.residents.rules (REFERENCE §1.4–§1.6, seed 000 §三, seed 001 item 18).

No Django needed.  Expected values are written literally from REFERENCE §1.4 or computed by hand
in the comments (score = age points + disease points + vaccination points; age <65→0, 65–79→1,
≥80→2; disease none 0 / stable 1 / unstable 2; vaccination full 0 / partial 1 / none 2; total
0–1 green, 2–3 yellow, 4–6 red) — never with the code under test.  The properties compare against
a small independent copy of the table (REF_ROWS below).
"""

from __future__ import annotations

import ast
import copy
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.residents import rules
from yiyang.residents.rules import (
    BAND_LABELS,
    CATEGORY_LABELS,
    CATEGORY_TIERS,
    DEFAULT_RULES_JSON,
    EVENT_LABELS,
    STATUS_LABELS,
    TRANSITIONS,
    AgeBand,
    Category,
    Classification,
    InvalidTransition,
    StayEvent,
    StayStatus,
    age_band,
    age_on,
    allowed_events,
    classify_key_population,
    disease_status,
    follow_up_interval,
    holds_bed,
    in_register_scope,
    is_open,
    load_rule_set,
    next_band_change,
    next_status,
    vaccination_status,
)

RED, YELLOW, GREEN = "red", "yellow", "green"
DISEASES = ("none", "stable", "unstable")  # worsening order
VACCS = ("full", "partial", "none")  # worsening order
ANY = frozenset(VACCS)
NOT_FULL = frozenset({"partial", "none"})
SEVERITY = {GREEN: 0, YELLOW: 1, RED: 2}
DEFAULT_LABEL = "default-2022-local@1"

ages = st.integers(min_value=0, max_value=150)
diseases = st.sampled_from(DISEASES)
vaccs = st.sampled_from(VACCS)

# ---------------------------------------------------------------------------
# Independent copy of the REFERENCE §1.4 table (+ the two < 65 rows): (id, min, max, d, v, cat)
# ---------------------------------------------------------------------------

REF_ROWS = [
    ("G1", None, 79, {"none"}, ANY, GREEN),
    ("G2", None, 79, {"stable"}, {"full"}, GREEN),
    ("Y1", 65, 79, {"stable"}, NOT_FULL, YELLOW),
    ("Y2", 80, None, {"none", "stable"}, {"full"}, YELLOW),
    ("R1", 65, 79, {"unstable"}, ANY, RED),
    ("R2", 80, None, {"stable", "unstable"}, NOT_FULL, RED),
    ("Y0", None, 64, {"unstable"}, {"full"}, YELLOW),
    ("R0", None, 64, {"unstable"}, NOT_FULL, RED),
]


REF_DISEASE_POINTS = {"none": 0, "stable": 1, "unstable": 2}
REF_VACC_POINTS = {"full": 0, "partial": 1, "none": 2}


def ref_rows_matching(age: int, disease: str, vacc: str) -> list[tuple[str, str]]:
    return [
        (rid, cat)
        for rid, lo, hi, ds, vs, cat in REF_ROWS
        if (lo is None or age >= lo) and (hi is None or age <= hi) and disease in ds and vacc in vs
    ]


def ref_score(age: int, disease: str, vacc: str) -> int:
    age_pts = 0 if age < 65 else 1 if age < 80 else 2
    return age_pts + REF_DISEASE_POINTS[disease] + REF_VACC_POINTS[vacc]


def ref_band(total: int) -> str:
    return GREEN if total <= 1 else YELLOW if total <= 3 else RED


# ---------------------------------------------------------------------------
# The table, row by row (REFERENCE §1.4)
# ---------------------------------------------------------------------------

# (age, disease, vaccination, category, basis, score)
TABLE_CASES = [
    # G1: < 80, none, any → green
    (70, "none", "full", GREEN, "G1", None),
    (70, "none", "partial", GREEN, "G1", None),
    (70, "none", "none", GREEN, "G1", None),
    (62, "none", "none", GREEN, "G1", None),
    (0, "none", "none", GREEN, "G1", None),
    # G2: < 80, stable, full → green
    (70, "stable", "full", GREEN, "G2", None),
    (62, "stable", "full", GREEN, "G2", None),
    # Y1: 65–79, stable, not full → yellow
    (70, "stable", "partial", YELLOW, "Y1", None),
    (70, "stable", "none", YELLOW, "Y1", None),
    # Y2: ≥ 80, none or stable, full → yellow
    (85, "none", "full", YELLOW, "Y2", None),
    (85, "stable", "full", YELLOW, "Y2", None),
    (104, "stable", "full", YELLOW, "Y2", None),
    # R1: 65–79, unstable, any → red
    (70, "unstable", "full", RED, "R1", None),
    (70, "unstable", "partial", RED, "R1", None),
    (70, "unstable", "none", RED, "R1", None),
    # R2: ≥ 80, stable or unstable, not full → red
    (85, "stable", "partial", RED, "R2", None),
    (85, "stable", "none", RED, "R2", None),
    (85, "unstable", "partial", RED, "R2", None),
    (85, "unstable", "none", RED, "R2", None),
    # Y0 / R0 (local rows for < 65): unstable + full → yellow; unstable + not full → red
    (62, "unstable", "full", YELLOW, "Y0", None),
    (62, "unstable", "partial", RED, "R0", None),
    (62, "unstable", "none", RED, "R0", None),
    # Not covered → score
    (85, "unstable", "full", RED, "score", 4),  # 2 + 2 + 0 = 4 → red
    (85, "none", "partial", YELLOW, "score", 3),  # 2 + 0 + 1 = 3 → yellow
    (85, "none", "none", RED, "score", 4),  # 2 + 0 + 2 = 4 → red
    (62, "stable", "partial", YELLOW, "score", 2),  # 0 + 1 + 1 = 2 → yellow
    (62, "stable", "none", YELLOW, "score", 3),  # 0 + 1 + 2 = 3 → yellow
    (0, "stable", "none", YELLOW, "score", 3),  # 0 + 1 + 2 = 3 → yellow
]

# Boundary ages 64 / 65 / 79 / 80 (same kind of tuple).
BOUNDARY_CASES = [
    (64, "stable", "partial", YELLOW, "score", 2),  # 0 + 1 + 1 = 2
    (65, "stable", "partial", YELLOW, "Y1", None),
    (79, "stable", "partial", YELLOW, "Y1", None),
    (80, "stable", "partial", RED, "R2", None),
    (64, "unstable", "full", YELLOW, "Y0", None),
    (65, "unstable", "full", RED, "R1", None),
    (79, "unstable", "full", RED, "R1", None),
    (80, "unstable", "full", RED, "score", 4),  # 2 + 2 + 0 = 4
    (64, "unstable", "none", RED, "R0", None),
    (65, "unstable", "none", RED, "R1", None),
    (64, "none", "none", GREEN, "G1", None),
    (65, "none", "none", GREEN, "G1", None),
    (79, "none", "none", GREEN, "G1", None),
    (80, "none", "none", RED, "score", 4),  # 2 + 0 + 2 = 4
    (79, "none", "partial", GREEN, "G1", None),
    (80, "none", "partial", YELLOW, "score", 3),  # 2 + 0 + 1 = 3
    (64, "stable", "full", GREEN, "G2", None),
    (79, "stable", "full", GREEN, "G2", None),
    (80, "stable", "full", YELLOW, "Y2", None),
    (80, "none", "full", YELLOW, "Y2", None),
    (150, "unstable", "none", RED, "R2", None),
]


@pytest.mark.parametrize(
    ("age", "disease", "vacc", "category", "basis", "score"), TABLE_CASES + BOUNDARY_CASES
)
def test_classification_table(age, disease, vacc, category, basis, score):
    result = classify_key_population(age=age, disease=disease, vaccination=vacc)
    assert result == Classification(Category(category), basis, score, DEFAULT_LABEL)
    assert result.category == category


def test_classification_labels_and_tiers():
    assert CATEGORY_LABELS == {
        Category.RED: "重点人群（红）",
        Category.YELLOW: "次重点人群（黄）",
        Category.GREEN: "一般人群（绿）",
    }
    assert CATEGORY_TIERS == {
        Category.RED: "三级服务",
        Category.YELLOW: "二级服务",
        Category.GREEN: "一级服务",
    }
    result = classify_key_population(age=70, disease="unstable", vaccination="full")
    assert (result.label, result.category.tier) == ("重点人群（红）", "三级服务")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"age": -1, "disease": "none", "vaccination": "full"},
        {"age": 151, "disease": "none", "vaccination": "full"},
        {"age": True, "disease": "none", "vaccination": "full"},
        {"age": 70.0, "disease": "none", "vaccination": "full"},
        {"age": "70", "disease": "none", "vaccination": "full"},
        {"age": None, "disease": "none", "vaccination": "full"},
        {"age": 70, "disease": "Stable", "vaccination": "full"},
        {"age": 70, "disease": "", "vaccination": "full"},
        {"age": 70, "disease": None, "vaccination": "full"},
        {"age": 70, "disease": ["stable"], "vaccination": "full"},
        {"age": 70, "disease": "none", "vaccination": "booster"},
        {"age": 70, "disease": "none", "vaccination": "FULL"},
        {"age": 70, "disease": "none", "vaccination": 0},
    ],
)
def test_classification_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        classify_key_population(**kwargs)


def test_classification_is_keyword_only():
    with pytest.raises(TypeError):
        classify_key_population(70, "none", "full")  # type: ignore[misc]


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


@given(ages, diseases, vaccs)
def test_every_input_gets_one_category(age, disease, vacc):
    result = classify_key_population(age=age, disease=disease, vaccination=vacc)
    assert result.category in (Category.RED, Category.YELLOW, Category.GREEN)
    assert result.rule_set == DEFAULT_LABEL
    assert (result.score is None) == (result.basis != "score")


@given(ages, diseases, vaccs)
def test_score_basis_iff_no_row_matches(age, disease, vacc):
    result = classify_key_population(age=age, disease=disease, vaccination=vacc)
    matching = ref_rows_matching(age, disease, vacc)
    assert len(matching) <= 1  # the default rows do not overlap, so order does not matter
    if matching:
        assert (result.basis, result.category) == matching[0]
    else:
        assert result.basis == "score"
        assert result.score == ref_score(age, disease, vacc)
        assert result.category == ref_band(ref_score(age, disease, vacc))


# Monotonicity, checked by hand over the nine (age group, vaccination) columns before asserting:
#   age < 65   full: G1 G2 Y0 = g g y   partial: G1 score2 R0 = g y r   none: G1 score3 R0 = g y r
#   65–79      full: G1 G2 R1 = g g r   partial: G1 Y1 R1     = g y r   none: G1 Y1 R1     = g y r
#   ≥ 80       full: Y2 Y2 s4 = y y r   partial: s3 R2 R2     = y r r   none: s4 R2 R2     = r r r
# so worsening disease never moves a person towards green.  The same grid read along the other
# axes shows the default table is also monotone in vaccination (full→partial→none) and in age
# group; those hold for this default data only — a province's rule set need not keep them.


@given(ages, vaccs)
def test_worse_disease_never_improves_category(age, vacc):
    severities = [
        classify_key_population(age=age, disease=d, vaccination=vacc).category.severity
        for d in DISEASES
    ]
    assert severities == sorted(severities)


@given(ages, diseases)
def test_worse_vaccination_never_improves_category(age, disease):
    severities = [
        SEVERITY[classify_key_population(age=age, disease=disease, vaccination=v).category]
        for v in VACCS
    ]
    assert severities == sorted(severities)


@given(ages, ages, diseases, vaccs)
def test_older_never_improves_category(a, b, disease, vacc):
    young, old = sorted((a, b))
    r_young = classify_key_population(age=young, disease=disease, vaccination=vacc)
    r_old = classify_key_population(age=old, disease=disease, vaccination=vacc)
    assert SEVERITY[r_young.category] <= SEVERITY[r_old.category]


# ---------------------------------------------------------------------------
# Rule set as data: province replacement and validation
# ---------------------------------------------------------------------------


def default_raw() -> dict:
    return json.loads(DEFAULT_RULES_JSON.read_text(encoding="utf-8"))


def test_default_rule_set_is_cached_and_described():
    rs = load_rule_set()
    assert rs is load_rule_set()
    assert rs.label == DEFAULT_LABEL
    assert rs.effective_from == date(2022, 12, 9)
    assert [r.id for r in rs.rows] == ["G1", "G2", "Y1", "Y2", "R1", "R2", "Y0", "R0"]


def test_bundled_rows_equal_the_reference_table():
    rows = {r.id: r for r in load_rule_set().rows}
    for rid, lo, hi, ds, vs, cat in REF_ROWS:
        r = rows[rid]
        assert (r.age_min, r.age_max, set(r.disease), set(r.vaccination), r.category) == (
            lo,
            hi,
            set(ds),
            set(vs),
            cat,
        )


def test_province_rule_set_from_dict_changes_the_result():
    # A province that drops the table and uses the score alone, with stricter bands.
    raw = default_raw()
    raw.update(id="province-test", version=2, rows=[])
    raw["score"]["bands"] = [[0, 2, "green"], [3, 4, "yellow"], [5, 6, "red"]]
    raw["follow_up_days"] = {"red": 2, "yellow": 7, "green": 30}
    rs = load_rule_set(raw)
    default = classify_key_population(age=70, disease="unstable", vaccination="full")
    custom = classify_key_population(age=70, disease="unstable", vaccination="full", rule_set=rs)
    assert default == Classification(Category.RED, "R1", None, DEFAULT_LABEL)
    # 1 + 2 + 0 = 3 → yellow under the province bands
    assert custom == Classification(Category.YELLOW, "score", 3, "province-test@2")
    assert follow_up_interval("green", rs) == 30
    assert follow_up_interval(Category.RED, rs) == 2


def test_rows_are_tried_in_file_order():
    raw = default_raw()
    raw["rows"] = [
        {"id": "X1", "category": "red", "age_min": None, "age_max": None,
         "disease": ["unstable"], "vaccination": list(VACCS)},
        {"id": "X2", "category": "green", "age_min": None, "age_max": None,
         "disease": list(DISEASES), "vaccination": list(VACCS)},
    ]  # fmt: skip
    first = load_rule_set(raw)
    raw["rows"].reverse()
    second = load_rule_set(raw)
    kwargs = {"age": 70, "disease": "unstable", "vaccination": "full"}
    assert classify_key_population(**kwargs, rule_set=first).basis == "X1"
    assert classify_key_population(**kwargs, rule_set=second).basis == "X2"


def test_rule_set_from_file(tmp_path: Path):
    raw = default_raw()
    raw["version"] = 3
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert load_rule_set(path).label == "default-2022-local@3"
    assert load_rule_set(str(path)).label == "default-2022-local@3"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError):
        load_rule_set(path)


def _set(path, value):
    def mutate(raw):
        target = raw
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(path):
    def mutate(raw):
        target = raw
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


MALFORMED = {
    "missing id": _delete(["id"]),
    "missing rows": _delete(["rows"]),
    "unknown top key": _set(["colour"], "red"),
    "empty id": _set(["id"], " "),
    "version 0": _set(["version"], 0),
    "version bool": _set(["version"], True),
    "version string": _set(["version"], "1"),
    "bad date": _set(["effective_from"], "2022-13-01"),
    "rows not list": _set(["rows"], {}),
    "row not object": _set(["rows", 0], "G1"),
    "row unknown key": _set(["rows", 0, "age_mx"], 79),
    "row missing key": _delete(["rows", 0, "vaccination"]),
    "bad category": _set(["rows", 0, "category"], "orange"),
    "age_min > age_max": _set(["rows", 2, "age_min"], 90),
    "negative age": _set(["rows", 2, "age_min"], -1),
    "age too high": _set(["rows", 3, "age_min"], 151),
    "float age": _set(["rows", 2, "age_min"], 65.0),
    "unknown disease": _set(["rows", 0, "disease"], ["none", "mild"]),
    "empty disease": _set(["rows", 0, "disease"], []),
    "duplicate vaccination": _set(["rows", 0, "vaccination"], ["full", "full"]),
    "vaccination string": _set(["rows", 0, "vaccination"], "full"),
    "duplicate row id": _set(["rows", 1, "id"], "G1"),
    "row id score": _set(["rows", 1, "id"], "score"),
    "score missing": _delete(["score"]),
    "score age not increasing": _set(["score", "age"], [[80, 2], [65, 1]]),
    "score age pair": _set(["score", "age"], [[65, 1, 0]]),
    "score disease missing key": _set(["score", "disease"], {"none": 0, "stable": 1}),
    "score negative points": _set(["score", "vaccination", "none"], -2),
    "bands gap": _set(["score", "bands"], [[0, 1, "green"], [3, 6, "red"]]),
    "bands overlap": _set(["score", "bands"], [[0, 2, "green"], [2, 6, "red"]]),
    "bands short": _set(["score", "bands"], [[0, 1, "green"], [2, 5, "red"]]),
    "band category": _set(["score", "bands", 0, 2], "blue"),
    "band low > high": _set(["score", "bands", 0], [1, 0, "green"]),
    "follow-up missing": _set(["follow_up_days"], {"red": 1, "yellow": 3}),
    "follow-up zero": _set(["follow_up_days", "red"], 0),
    "follow-up string": _set(["follow_up_days", "yellow"], "3"),
}


@pytest.mark.parametrize("mutate", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_rule_set_raises(mutate):
    raw = default_raw()
    load_rule_set(copy.deepcopy(raw))  # the unmutated copy is fine
    mutate(raw)
    with pytest.raises(ValueError, match="key-population rule set"):
        load_rule_set(raw)


@pytest.mark.parametrize("raw", [[], 5, b"{}", ("id", "x")])
def test_rule_set_not_an_object(raw):
    with pytest.raises(ValueError, match="expected an object"):
        load_rule_set(raw)


def test_follow_up_defaults():
    # REFERENCE §1.5 defaults: red daily, yellow every 3 days, green none.
    assert follow_up_interval(Category.RED) == 1
    assert follow_up_interval("yellow") == 3
    assert follow_up_interval(Category.GREEN) is None
    with pytest.raises(ValueError):
        follow_up_interval("orange")


# ---------------------------------------------------------------------------
# Disease and vaccination status
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "none"),
        (["stable"], "stable"),
        (["stable", "stable"], "stable"),
        (["stable", "unstable", "stable"], "unstable"),
        (("unstable",), "unstable"),
        (["none", "stable"], "stable"),
        (iter(["stable", "unstable"]), "unstable"),
    ],
)
def test_disease_status(statuses, expected):
    assert disease_status(statuses) == expected


@pytest.mark.parametrize("statuses", ["stable", ["stable", "bad"], [None], ["Unstable"]])
def test_disease_status_rejects(statuses):
    with pytest.raises(ValueError):
        disease_status(statuses)


@pytest.mark.parametrize(
    ("received", "series", "contraindicated", "expected"),
    [
        (0, 2, False, "none"),
        (1, 2, False, "partial"),
        (2, 2, False, "full"),
        (3, 2, False, "full"),  # booster beyond the primary series changes nothing
        (1, 1, False, "full"),
        (2, 3, False, "partial"),
        (0, None, False, "none"),  # no dose: product unknown is fine
        (0, 2, True, "none"),  # contraindication is recorded, the status reflects doses
        (1, 3, True, "partial"),
    ],
)
def test_vaccination_status(received, series, contraindicated, expected):
    assert (
        vaccination_status(
            doses_received=received,
            doses_in_primary_series=series,
            contraindicated=contraindicated,
        )
        == expected
    )


@pytest.mark.parametrize(
    ("received", "series", "contraindicated"),
    [
        (-1, 2, False),
        (True, 2, False),
        (1.0, 2, False),
        (1, None, False),  # doses received but primary series unknown
        (1, 0, False),
        (1, True, False),
        (1, "2", False),
        (1, 2, "yes"),
    ],
)
def test_vaccination_status_rejects(received, series, contraindicated):
    with pytest.raises(ValueError):
        vaccination_status(
            doses_received=received,
            doses_in_primary_series=series,
            contraindicated=contraindicated,
        )


# ---------------------------------------------------------------------------
# Register bands and ages (seed 000 §三, REFERENCE §1.6)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, None),
        (59, None),
        (60, "60-64"),
        (64, "60-64"),
        (65, "65-79"),
        (79, "65-79"),
        (80, "80-89"),
        (89, "80-89"),
        (90, "90+"),
        (104, "90+"),
        (150, "90+"),
    ],
)
def test_age_band(age, band):
    assert age_band(age) == band


def test_band_labels():
    assert BAND_LABELS == {
        AgeBand.AGE_60_64: "60–64岁",
        AgeBand.AGE_65_79: "65–79岁",
        AgeBand.AGE_80_89: "80–89岁",
        AgeBand.AGE_90_PLUS: "90岁及以上",
    }
    assert age_band(70).label == "65–79岁"


@pytest.mark.parametrize("age", [-1, 151, True, 60.5, "60"])
def test_age_band_rejects(age):
    with pytest.raises(ValueError):
        age_band(age)


@pytest.mark.parametrize(
    ("age", "disabled", "expected"),
    [(59, False, False), (60, False, True), (90, False, True), (30, True, True), (59, True, True)],
)
def test_in_register_scope(age, disabled, expected):
    assert in_register_scope(age=age, has_disability=disabled) is expected


def test_in_register_scope_rejects():
    with pytest.raises(ValueError):
        in_register_scope(age=70, has_disability="no")
    with pytest.raises(ValueError):
        in_register_scope(age=-3, has_disability=True)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1950, 6, 15), date(1950, 6, 15), 0),
        (date(1950, 6, 15), date(2020, 6, 14), 69),
        (date(1950, 6, 15), date(2020, 6, 15), 70),
        (date(1950, 12, 31), date(2021, 1, 1), 70),
        # 29 February: a year older on 1 March in non-leap years, on 29 February in leap years
        (date(1964, 2, 29), date(2024, 2, 28), 59),
        (date(1964, 2, 29), date(2024, 2, 29), 60),
        (date(1964, 2, 29), date(2025, 2, 28), 60),
        (date(1964, 2, 29), date(2025, 3, 1), 61),
        (date(1964, 2, 29), date(2100, 2, 28), 135),  # 2100 is not a leap year
        (date(1964, 2, 29), date(2100, 3, 1), 136),
    ],
)
def test_age_on(born, on, age):
    assert age_on(born, on) == age


def test_age_on_rejects():
    with pytest.raises(ValueError):
        age_on(date(2000, 1, 2), date(2000, 1, 1))
    with pytest.raises(ValueError):
        age_on(datetime(1950, 1, 1), date(2020, 1, 1))
    with pytest.raises(ValueError):
        age_on("1950-01-01", date(2020, 1, 1))


@pytest.mark.parametrize(
    ("born", "after", "expected"),
    [
        (date(1950, 6, 15), date(2000, 1, 1), date(2010, 6, 15)),  # 60th
        (date(1950, 6, 15), date(2010, 6, 14), date(2010, 6, 15)),
        (date(1950, 6, 15), date(2010, 6, 15), date(2015, 6, 15)),  # strictly after: 65th
        (date(1950, 6, 15), date(2020, 1, 1), date(2030, 6, 15)),  # 80th
        (date(1950, 6, 15), date(2030, 6, 15), date(2040, 6, 15)),  # 90th
        (date(1950, 6, 15), date(2040, 6, 15), None),
        (date(1964, 2, 29), date(2020, 1, 1), date(2024, 2, 29)),  # 60th, 2024 is leap
        (date(1964, 2, 29), date(2024, 2, 29), date(2029, 3, 1)),  # 65th, 2029 is not
        (date(1964, 2, 29), date(2029, 2, 28), date(2029, 3, 1)),
        (date(1964, 2, 29), date(2030, 1, 1), date(2044, 2, 29)),  # 80th, 2044 is leap
        (date(1964, 2, 29), date(2044, 3, 1), date(2054, 3, 1)),  # 90th
    ],
)
def test_next_band_change(born, after, expected):
    assert next_band_change(born, after) == expected


@given(st.dates(date(1875, 1, 1), date(2025, 12, 31)), st.integers(0, 120 * 366))
def test_next_band_change_is_the_next_band_boundary(born, offset):
    after = born + timedelta(days=offset)
    change = next_band_change(born, after)
    band_now = age_band(age_on(born, after))
    if change is None:
        assert band_now == "90+"
        return
    assert change > after
    day_before = change - timedelta(days=1)
    assert age_band(age_on(born, day_before)) == band_now  # no change before it
    assert age_band(age_on(born, change)) != band_now  # a change on it
    assert age_on(born, change) in (60, 65, 80, 90)


# ---------------------------------------------------------------------------
# Stay lifecycle (state machine as data)
# ---------------------------------------------------------------------------

S, E = StayStatus, StayEvent
EXPECTED_TRANSITIONS = {
    (None, E.ADMIT): S.IN_RESIDENCE,
    (S.IN_RESIDENCE, E.MOVE_BED): S.IN_RESIDENCE,
    (S.IN_RESIDENCE, E.LEAVE): S.ON_LEAVE,
    (S.ON_LEAVE, E.RETURN_FROM_LEAVE): S.IN_RESIDENCE,
    (S.IN_RESIDENCE, E.HOSPITAL_TRANSFER): S.IN_HOSPITAL,
    (S.IN_HOSPITAL, E.RETURN_FROM_HOSPITAL): S.IN_RESIDENCE,
    (S.IN_RESIDENCE, E.DISCHARGE): S.DISCHARGED,
    (S.ON_LEAVE, E.DISCHARGE): S.DISCHARGED,
    (S.IN_HOSPITAL, E.DISCHARGE): S.DISCHARGED,
    (S.IN_RESIDENCE, E.DEATH): S.DECEASED,
    (S.ON_LEAVE, E.DEATH): S.DECEASED,
    (S.IN_HOSPITAL, E.DEATH): S.DECEASED,
    (S.DECEASED, E.DEATH_CERTIFICATE): S.DECEASED,  # seed 001 item 18
}


def test_transition_table_is_exactly_the_brief():
    assert dict(TRANSITIONS) == EXPECTED_TRANSITIONS


@pytest.mark.parametrize(("pair", "after"), list(EXPECTED_TRANSITIONS.items()), ids=str)
def test_allowed_transitions(pair, after):
    current, event = pair
    assert next_status(current, event) == after


@given(st.sampled_from([None, *StayStatus]), st.sampled_from(list(StayEvent)))
def test_next_status_raises_exactly_outside_the_table(current, event):
    if (current, event) in EXPECTED_TRANSITIONS:
        assert next_status(current, event) == EXPECTED_TRANSITIONS[(current, event)]
    else:
        with pytest.raises(InvalidTransition) as info:
            next_status(current, event)
        assert isinstance(info.value, ValueError)
        assert EVENT_LABELS[event] in str(info.value)
        if current is not None:
            assert STATUS_LABELS[current] in str(info.value)


def test_invalid_transition_messages():
    with pytest.raises(InvalidTransition, match="^已出院的入住记录不能办理请假$"):
        next_status(S.DISCHARGED, E.LEAVE)
    with pytest.raises(InvalidTransition, match="^尚无入住记录，不能办理出院$"):
        next_status(None, E.DISCHARGE)
    with pytest.raises(InvalidTransition, match="已去世"):
        next_status(S.DECEASED, E.DEATH)


def test_death_certificate_only_on_a_deceased_stay():
    assert next_status(S.DECEASED, E.DEATH_CERTIFICATE) == S.DECEASED
    for status in [None, S.IN_RESIDENCE, S.ON_LEAVE, S.IN_HOSPITAL, S.DISCHARGED]:
        with pytest.raises(InvalidTransition):
            next_status(status, E.DEATH_CERTIFICATE)
    assert allowed_events(S.DECEASED) == {E.DEATH_CERTIFICATE}


def test_allowed_events():
    assert allowed_events(None) == {E.ADMIT}
    assert allowed_events(S.DISCHARGED) == set()
    assert allowed_events(S.ON_LEAVE) == {E.RETURN_FROM_LEAVE, E.DISCHARGE, E.DEATH}
    assert allowed_events(S.IN_RESIDENCE) == {
        E.MOVE_BED,
        E.LEAVE,
        E.HOSPITAL_TRANSFER,
        E.DISCHARGE,
        E.DEATH,
    }


def test_next_status_accepts_values_and_rejects_unknown():
    assert next_status("in_residence", "leave") == S.ON_LEAVE
    with pytest.raises(ValueError):
        next_status("gone", E.LEAVE)
    with pytest.raises(ValueError):
        next_status(S.IN_RESIDENCE, "fly")


@pytest.mark.parametrize(
    ("status", "open_", "bed"),
    [
        (S.IN_RESIDENCE, True, True),
        (S.ON_LEAVE, True, True),
        (S.IN_HOSPITAL, True, True),
        (S.DISCHARGED, False, False),
        (S.DECEASED, False, False),
    ],
)
def test_open_and_bed(status, open_, bed):
    assert is_open(status) is open_
    assert holds_bed(status) is bed


def test_labels_complete_and_chinese():
    assert STATUS_LABELS == {
        S.IN_RESIDENCE: "在院",
        S.ON_LEAVE: "请假外出",
        S.IN_HOSPITAL: "住院/转院",
        S.DISCHARGED: "已出院",
        S.DECEASED: "已去世",
    }
    assert set(EVENT_LABELS) == set(StayEvent)
    assert all(e.label == EVENT_LABELS[e] for e in StayEvent)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.label) for e in StayEvent)


def test_rules_module_imports_no_django():
    tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert not {m for m in imported if m.split(".")[0] == "django"}
