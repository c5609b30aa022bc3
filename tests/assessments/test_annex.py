"""GB/T 42195 Annex A validation and the C.4 inputs read from it (REFERENCE §2.4–§2.5)."""

from __future__ import annotations

import pytest

from yiyang.assessments import annex


def test_clean_keeps_valid_values_and_drops_empty_ones() -> None:
    data = annex.clean({"height_cm": "165", "weight_kg": "58.25", "education": "小学",
                        "living": ["养老机构"], "coma": "on", "diagnoses": [],
                        "informant_name": "  张三 ", "religion": ""})
    assert data == {"height_cm": 165, "weight_kg": 58.2, "education": "小学",
                    "living": ["养老机构"], "coma": True, "informant_name": "张三"}


@pytest.mark.parametrize("data", [
    {"nope": 1},
    {"education": "博士"},
    {"height_cm": "60"},
    {"height_cm": "160.5"},
    {"living": "独居"},
    {"wounds": ["无", "擦伤"]},
    {"coma": "maybe"},
    {"informant_name": "张" * 51},
])
def test_bad_values_are_refused_in_chinese(data) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError) as bad:
        annex.clean(data)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(bad.value))


def test_clause_inputs() -> None:
    base = {"risk_跌倒": "1", "risk_走失": "0", "risk_噎食": "1", "risk_自杀/自伤": "0",
            "risk_其他": "0"}
    assert annex.clause_inputs(base) == {"coma": False, "dementia_or_mental": False,
                                         "risk_events_30d": 2}
    assert annex.clause_inputs({**base, "coma": True})["coma"] is True
    assert annex.clause_inputs({"diagnoses": ["痴呆"]})["dementia_or_mental"] is True
    assert annex.clause_inputs({"diagnoses": ["其他精神和行为障碍"]})["dementia_or_mental"] is False
    assert annex.clause_inputs({"diagnoses": ["其他精神和行为障碍"],
                                "psychiatrist_confirmed": True})["dementia_or_mental"] is True
    # The psychiatrist flag means nothing without the diagnosis and is dropped.
    assert "psychiatrist_confirmed" not in annex.clean({"psychiatrist_confirmed": True})


def test_the_report_needs_the_risk_events_and_the_informant() -> None:
    assert {f.key for f in annex.missing({})} == {
        "risk_跌倒", "risk_走失", "risk_噎食", "risk_自杀/自伤", "risk_其他", "informant_relation"}
