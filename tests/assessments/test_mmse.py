"""简易精神状态检查 MMSE (REFERENCE §5.4).

Expected values are written literally from REFERENCE, never computed by the code under test.
Higher = better: one more point never turns "normal" into "impaired" nor worsens the severity.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments.base import Risk
from yiyang.assessments.instruments.mmse import SCALE, SEVERITY, EducationCutoffs

# REFERENCE §5.4: code → (part, max points); 5+5+3+5+3+2+1+3+1+1+1 = 30.
REF = {
    "1": ("时间定向", 5),
    "2": ("地点定向", 5),
    "3": ("即刻记忆", 3),
    "4": ("注意力和计算力", 5),
    "5": ("回忆", 3),
    "6": ("命名", 2),
    "7": ("复述", 1),
    "8": ("三步指令", 3),
    "9": ("阅读理解", 1),
    "10": ("书写", 1),
    "11": ("临摹", 1),
}
EDUCATIONS = {"illiterate": "文盲", "primary": "小学", "secondary": "中学", "college": "大学及以上"}
# REFERENCE §5.4: highest total still counted as impaired.
REF_CUTOFFS = {
    "cn": {"illiterate": 17, "primary": 20, "secondary": 24, "college": 24},
    "variant": {"illiterate": 17, "primary": 20, "secondary": 22, "college": 23},
}
SEVERITY_ORDER = ["normal", "mild", "moderate", "severe"]


def with_total(total: int) -> dict[str, int]:
    answers = dict.fromkeys(REF, 0)
    left = total
    for code, (_, mx) in REF.items():
        answers[code] = min(left, mx)
        left -= answers[code]
    assert left == 0 and sum(answers.values()) == total
    return answers


answer_sets = st.fixed_dictionaries({c: st.integers(0, mx) for c, (_, mx) in REF.items()})
educations = st.sampled_from(list(EDUCATIONS))
conventions = st.sampled_from([None, "cn", "variant"])


def ctx(education: str, convention: str | None = None) -> dict[str, str]:
    found = {"education": education}
    if convention is not None:
        found["convention"] = convention
    return found


def test_identity() -> None:
    assert SCALE.code == "mmse"
    assert SCALE.name == "简易精神状态检查（MMSE）"
    assert SCALE.version and "§5.4" in SCALE.source
    assert (SCALE.min_total, SCALE.max_total, SCALE.additive) == (0, 30, True)
    assert SCALE.default_convention == "cn"
    assert set(SCALE.band_tables) == {"cn", "variant"}


def test_items_match_the_reference() -> None:
    assert [q.code for q in SCALE.questions] == list(REF)
    for q in SCALE.questions:
        name, mx = REF[q.code]
        assert q.text == name
        assert [o.value for o in q.options] == list(range(mx + 1))
        assert q.max_points == mx


def test_education_context_field() -> None:
    (field,) = SCALE.context_fields
    assert (field.name, field.label) == ("education", "文化程度")
    assert dict(field.choices) == EDUCATIONS


def test_cutoffs_as_data() -> None:
    for key, cutoffs in REF_CUTOFFS.items():
        table = SCALE.band_tables[key]
        assert isinstance(table, EducationCutoffs)
        assert dict(table.cutoffs) == cutoffs


# (convention, education, total, impaired, label) — REFERENCE §5.4, both sides of each cut-off.
CUTOFF_CASES = [
    ("cn", "illiterate", 17, True, "可疑认知障碍（文化程度：文盲，界值≤17）"),
    ("cn", "illiterate", 18, False, "未见认知障碍（文化程度：文盲，界值≤17）"),
    ("cn", "primary", 20, True, "可疑认知障碍（文化程度：小学，界值≤20）"),
    ("cn", "primary", 21, False, "未见认知障碍（文化程度：小学，界值≤20）"),
    ("cn", "secondary", 24, True, "可疑认知障碍（文化程度：中学，界值≤24）"),
    ("cn", "secondary", 25, False, "未见认知障碍（文化程度：中学，界值≤24）"),
    ("cn", "college", 24, True, "可疑认知障碍（文化程度：大学及以上，界值≤24）"),
    ("cn", "college", 25, False, "未见认知障碍（文化程度：大学及以上，界值≤24）"),
    ("variant", "illiterate", 17, True, "可疑认知障碍（文化程度：文盲，界值≤17）"),
    ("variant", "illiterate", 18, False, "未见认知障碍（文化程度：文盲，界值≤17）"),
    ("variant", "primary", 20, True, "可疑认知障碍（文化程度：小学，界值≤20）"),
    ("variant", "primary", 21, False, "未见认知障碍（文化程度：小学，界值≤20）"),
    ("variant", "secondary", 22, True, "可疑认知障碍（文化程度：中学，界值≤22）"),
    ("variant", "secondary", 23, False, "未见认知障碍（文化程度：中学，界值≤22）"),
    ("variant", "college", 23, True, "可疑认知障碍（文化程度：大学及以上，界值≤23）"),
    ("variant", "college", 24, False, "未见认知障碍（文化程度：大学及以上，界值≤23）"),
]


@pytest.mark.parametrize(("convention", "education", "total", "impaired", "label"), CUTOFF_CASES)
def test_education_cutoffs(
    convention: str, education: str, total: int, impaired: bool, label: str
) -> None:
    out = SCALE.evaluate(with_total(total), ctx(education, convention))
    assert out.total == total
    assert out.band == ("impaired" if impaired else "normal")
    assert out.band_label == label
    assert out.summary == f"{total} 分 · {label}"
    assert out.risks == (frozenset({Risk.COGNITIVE}) if impaired else frozenset())
    assert out.details["impaired"] is impaired
    assert out.details["education"] == education
    assert out.details["education_label"] == EDUCATIONS[education]
    assert out.details["convention"] == convention


def test_default_convention_is_cn() -> None:
    out = SCALE.evaluate(with_total(23), {"education": "secondary"})
    assert (out.band, out.details["convention"], out.details["cutoff"]) == ("impaired", "cn", 24)
    variant = SCALE.evaluate(with_total(23), ctx("secondary", "variant"))
    assert (variant.band, variant.details["cutoff"]) == ("normal", 22)


# (total, severity, label) — REFERENCE §5.4 education-free severity, both sides.
SEVERITY_CASES = [
    (30, "normal", "正常"),
    (27, "normal", "正常"),
    (26, "mild", "轻度认知障碍"),
    (21, "mild", "轻度认知障碍"),
    (20, "moderate", "中度认知障碍"),
    (10, "moderate", "中度认知障碍"),
    (9, "severe", "重度认知障碍"),
    (0, "severe", "重度认知障碍"),
]


@pytest.mark.parametrize(("total", "severity", "label"), SEVERITY_CASES)
def test_severity_in_details(total: int, severity: str, label: str) -> None:
    for education in EDUCATIONS:
        out = SCALE.evaluate(with_total(total), {"education": education})
        assert (out.details["severity"], out.details["severity_label"]) == (severity, label)


def test_severity_can_differ_from_the_education_band() -> None:
    # Secondary school, variant cut-off ≤22: 22 is impaired, 23 is not — both are "mild".
    out = SCALE.evaluate(with_total(22), ctx("secondary", "variant"))
    assert (out.band, out.details["severity"]) == ("impaired", "mild")
    out = SCALE.evaluate(with_total(23), ctx("secondary", "variant"))
    assert (out.band, out.details["severity"]) == ("normal", "mild")


def test_education_table_needs_education() -> None:
    with pytest.raises(ValueError, match="文化程度"):
        SCALE.band_tables["cn"].band_for(20)
    with pytest.raises(ValueError, match="文化程度 'none' 不在允许范围"):
        SCALE.band_tables["cn"].band_for(20, "none")  # type: ignore[call-arg]


# --------------------------------------------------------------------------- validation


def test_education_is_required() -> None:
    with pytest.raises(ValueError, match="缺少文化程度"):
        SCALE.evaluate(with_total(30))
    with pytest.raises(ValueError, match="缺少文化程度"):
        SCALE.evaluate(with_total(30), {"convention": "cn"})


@pytest.mark.parametrize("education", ["文盲", "high_school", "", 1, True])
def test_bad_education(education: object) -> None:
    with pytest.raises(ValueError, match="文化程度 .* 不在允许范围"):
        SCALE.evaluate(with_total(30), {"education": education})


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"education": "primary", "convention": "severity"}, "未知的分级标准"),
        ({"education": "primary", "age": 80}, "未知的评估背景信息"),
        ("primary", "映射"),
    ],
)
def test_bad_context(context: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SCALE.evaluate(with_total(30), context)  # type: ignore[arg-type]


def test_missing_part() -> None:
    answers = with_total(30)
    del answers["5"]
    with pytest.raises(ValueError, match="缺少评估条目：5 回忆"):
        SCALE.evaluate(answers, {"education": "primary"})


def test_unknown_part() -> None:
    with pytest.raises(ValueError, match="未知的评估条目：12"):
        SCALE.evaluate({**with_total(30), "12": 1}, {"education": "primary"})


@pytest.mark.parametrize(("code", "value"), [("1", 6), ("3", 4), ("6", 3), ("7", 2), ("11", -1)])
def test_bad_value(code: str, value: int) -> None:
    with pytest.raises(ValueError, match="不在允许范围"):
        SCALE.evaluate({**with_total(30), code: value}, {"education": "primary"})


# --------------------------------------------------------------------------- properties


def ref_severity(total: int) -> str:
    return (
        "normal"
        if total >= 27
        else "mild"
        if total >= 21
        else "moderate"
        if total >= 10
        else "severe"
    )


@given(answer_sets, educations, conventions)
def test_total_and_band(answers: dict[str, int], education: str, convention: str | None) -> None:
    out = SCALE.evaluate(answers, ctx(education, convention))
    assert out.total == sum(answers.values()) == SCALE.running_total(answers)
    assert 0 <= out.total <= 30
    impaired = out.total <= REF_CUTOFFS[convention or "cn"][education]
    assert out.band == ("impaired" if impaired else "normal")
    assert (Risk.COGNITIVE in out.risks) is impaired
    assert out.details["severity"] == ref_severity(out.total)
    assert out.details["severity"] == SEVERITY.band_for(out.total).key


@given(answer_sets, st.sampled_from(list(REF)), educations, conventions)
def test_more_points_never_worse(
    answers: dict[str, int], code: str, education: str, convention: str | None
) -> None:
    if answers[code] == REF[code][1]:
        return
    better = {**answers, code: answers[code] + 1}
    before = SCALE.evaluate(answers, ctx(education, convention))
    after = SCALE.evaluate(better, ctx(education, convention))
    assert after.total == before.total + 1
    assert not (before.band == "normal" and after.band == "impaired")
    sev = SEVERITY_ORDER.index
    assert sev(after.details["severity"]) <= sev(before.details["severity"])
