"""Barthel 指数 (REFERENCE §5.1; MZ/T 039 grades §2.6).

Expected values are written literally from REFERENCE, never computed by the code under test.
Higher = more independent: one more point never moves the band towards more dependence.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments.barthel import SCALE
from yiyang.assessments.instruments.base import Risk

# REFERENCE §5.1: code → (item, allowed scores).
REF = {
    "1": ("进食", (10, 5, 0)),
    "2": ("洗澡", (5, 0)),
    "3": ("修饰", (5, 0)),
    "4": ("穿衣", (10, 5, 0)),
    "5": ("控制大便", (10, 5, 0)),
    "6": ("控制小便", (10, 5, 0)),
    "7": ("如厕", (10, 5, 0)),
    "8": ("床椅转移", (15, 10, 5, 0)),
    "9": ("平地行走", (15, 10, 5, 0)),
    "10": ("上下楼梯", (10, 5, 0)),
}
# Band keys best → worst; the same order in both conventions.
ORDER = ["independent", "mild", "moderate", "severe"]


def with_total(total: int) -> dict[str, int]:
    """An answer set adding up to ``total`` (a multiple of 5), from REF alone."""
    answers = dict.fromkeys(REF, 0)
    left = total
    for code, (_, scores) in REF.items():
        take = max(s for s in scores if s <= left)
        answers[code] = take
        left -= take
    assert left == 0 and sum(answers.values()) == total
    return answers


answer_sets = st.fixed_dictionaries({c: st.sampled_from(s) for c, (_, s) in REF.items()})
conventions = st.sampled_from([None, "wst431", "mzt039"])


def ctx(convention: str | None) -> dict[str, str] | None:
    return None if convention is None else {"convention": convention}


def test_identity() -> None:
    assert SCALE.code == "barthel"
    assert SCALE.name == "Barthel 指数（日常生活活动能力）"
    assert "WS/T 431-2013" in SCALE.version
    assert "§5.1" in SCALE.source
    assert (SCALE.min_total, SCALE.max_total, SCALE.additive) == (0, 100, True)
    assert SCALE.default_convention == "wst431"
    assert set(SCALE.band_tables) == {"wst431", "mzt039"}


def test_items_match_the_reference() -> None:
    assert [q.code for q in SCALE.questions] == list(REF)
    for q in SCALE.questions:
        name, scores = REF[q.code]
        assert q.text == name
        assert tuple(o.value for o in q.options) == scores
        assert tuple(o.score for o in q.options) == scores
        assert q.required


def test_option_labels() -> None:
    assert SCALE.question("1").options[0].label.startswith("10 分：可独立进食")
    assert SCALE.question("8").options[0].label == "15 分：可独立完成"
    assert "轮椅" in SCALE.question("9").option(5).label
    assert "45 米" in SCALE.question("9").option(15).label


# (convention, total, band, label, dependency risk) — REFERENCE §5.1 and §2.6, both sides.
BAND_CASES = [
    ("wst431", 100, "independent", "无需依赖", False),
    ("wst431", 95, "mild", "轻度依赖", False),
    ("wst431", 65, "mild", "轻度依赖", False),
    ("wst431", 60, "moderate", "中度依赖", True),
    ("wst431", 45, "moderate", "中度依赖", True),
    ("wst431", 40, "severe", "重度依赖", True),
    ("wst431", 0, "severe", "重度依赖", True),
    ("mzt039", 100, "independent", "0 级（能力完好）", False),
    ("mzt039", 95, "mild", "1 级（轻度受损）", False),
    ("mzt039", 65, "mild", "1 级（轻度受损）", False),
    ("mzt039", 60, "moderate", "2 级（中度受损）", True),
    ("mzt039", 45, "moderate", "2 级（中度受损）", True),
    ("mzt039", 40, "severe", "3 级（重度受损）", True),
    ("mzt039", 0, "severe", "3 级（重度受损）", True),
]


@pytest.mark.parametrize(("convention", "total", "band", "label", "risk"), BAND_CASES)
def test_bands(convention: str, total: int, band: str, label: str, risk: bool) -> None:
    out = SCALE.evaluate(with_total(total), {"convention": convention})
    assert (out.total, out.band, out.band_label) == (total, band, label)
    assert out.summary == f"{total} 分 · {label}"
    assert out.risks == (frozenset({Risk.DEPENDENCY}) if risk else frozenset())
    assert out.details["convention"] == convention
    assert out.level is None


@pytest.mark.parametrize(
    ("total", "low", "high"), [(100, 100, 100), (61, 61, 99), (99, 61, 99), (41, 41, 60)]
)
def test_wst431_band_edges_as_data(total: int, low: int, high: int) -> None:
    # 61 and 41 cannot be scored (multiples of 5) but the table carries the REFERENCE edges.
    band = SCALE.band_tables["wst431"].band_for(total)
    assert (band.low, band.high) == (low, high)


def test_default_convention_is_wst431() -> None:
    out = SCALE.evaluate(with_total(60))
    assert (out.band_label, out.details["convention"]) == ("中度依赖", "wst431")
    assert out.details["band_range"] == [41, 60]


def test_details() -> None:
    answers = with_total(100)
    answers.update({"8": 10, "10": 5})  # 100 − 5 − 5
    out = SCALE.evaluate(answers)
    assert (out.total, out.band) == (90, "mild")
    assert out.details["points"]["8"] == 10
    assert out.details["points"]["10"] == 5


def test_every_reachable_total_has_a_band() -> None:
    for convention in SCALE.band_tables:
        for total in range(0, 101, 5):
            SCALE.band_tables[convention].band_for(total)


# --------------------------------------------------------------------------- validation


def test_missing_item() -> None:
    answers = with_total(100)
    del answers["7"]
    with pytest.raises(ValueError, match="缺少评估条目：7 如厕"):
        SCALE.evaluate(answers)


def test_unknown_item() -> None:
    with pytest.raises(ValueError, match="未知的评估条目：11"):
        SCALE.evaluate({**with_total(100), "11": 5})


@pytest.mark.parametrize(("code", "value"), [("1", 15), ("2", 10), ("8", 20), ("3", 3), ("9", -5)])
def test_bad_value(code: str, value: int) -> None:
    with pytest.raises(ValueError, match="不在允许范围"):
        SCALE.evaluate({**with_total(100), code: value})


@pytest.mark.parametrize("value", [True, 10.0, "10", None])
def test_non_int_value(value: object) -> None:
    with pytest.raises(ValueError, match="必须是整数"):
        SCALE.evaluate({**with_total(100), "1": value})  # type: ignore[dict-item]


def test_answers_must_be_a_mapping() -> None:
    with pytest.raises(ValueError, match="映射"):
        SCALE.evaluate([("1", 10)])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"convention": "mzt"}, "未知的分级标准"),
        ({"convention": ""}, "未知的分级标准"),
        ({"convention": None}, "未知的分级标准"),
        ({"convention": ["wst431"]}, "未知的分级标准"),
        ({"education": "primary"}, "未知的评估背景信息"),
        ("wst431", "映射"),
    ],
)
def test_bad_context(context: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SCALE.evaluate(with_total(100), context)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties


def ref_band(convention: str, total: int) -> str:
    """REFERENCE §5.1 / §2.6 written out."""
    if total == 100:
        return "independent"
    if convention == "wst431":
        return "mild" if total >= 61 else "moderate" if total >= 41 else "severe"
    return "mild" if total >= 65 else "moderate" if total >= 45 else "severe"


@given(answer_sets, conventions)
def test_total_and_band(answers: dict[str, int], convention: str | None) -> None:
    out = SCALE.evaluate(answers, ctx(convention))
    assert out.total == sum(answers.values()) == SCALE.running_total(answers)
    assert 0 <= out.total <= 100
    assert out.band == ref_band(convention or "wst431", out.total)
    assert (Risk.DEPENDENCY in out.risks) == (out.band in {"moderate", "severe"})


@given(answer_sets, st.sampled_from(list(REF)), conventions, st.data())
def test_more_points_never_more_dependent(
    answers: dict[str, int], code: str, convention: str | None, data: st.DataObject
) -> None:
    higher = [s for s in REF[code][1] if s > answers[code]]
    if not higher:
        return
    better = {**answers, code: data.draw(st.sampled_from(higher))}
    before = SCALE.evaluate(answers, ctx(convention))
    after = SCALE.evaluate(better, ctx(convention))
    assert after.total > before.total
    assert ORDER.index(after.band) <= ORDER.index(before.band)
