"""The admission bundle's four risk ratings (bundle_rules), from literal inputs."""

from __future__ import annotations

from yiyang.assessments.bundle_rules import Level, overall, rate

FULL = {f"B.{d}.{i}": 4 for d, n in ((1, 8), (2, 4), (3, 6), (4, 5)) for i in range(1, n + 1)}
CALM_MORSE = {"band": "low", "total": 10, "risks": [], "band_label": "低危"}
SAFE_BRADEN = {"band": "none", "total": 23, "risks": []}


def _rate(answers=None, annex=None, morse=CALM_MORSE, braden=SAFE_BRADEN):  # type: ignore[no-untyped-def]
    ratings = rate(ability={"answers": {**FULL, **(answers or {})}, "annex": annex or {}},
                   morse=morse, braden=braden)
    return {k: v["label"] for k, v in ratings.items()}, ratings


def test_all_low_when_nothing_is_wrong() -> None:
    labels, ratings = _rate()
    assert labels == {"fall": "低", "pressure": "低", "choking": "低", "wandering": "低"}
    assert overall(ratings) is Level.LOW


def test_fall_from_morse_band_and_recent_falls() -> None:
    assert _rate(morse={"band": "high", "total": 60, "risks": ["fall"],
                        "band_label": "高危"})[0]["fall"] == "高"
    assert _rate(morse={"band": "moderate", "total": 30, "risks": ["fall"],
                        "band_label": "中危"})[0]["fall"] == "中"
    assert _rate(annex={"risk_跌倒": "1"})[0]["fall"] == "中"


def test_pressure_from_braden_cut_offs_and_existing_injury() -> None:
    # REFERENCE §5.2: ≤ 12 high; ≤ 18 at risk.
    assert _rate(braden={"total": 12})[0]["pressure"] == "高"
    assert _rate(braden={"total": 13})[0]["pressure"] == "中"
    assert _rate(braden={"total": 18})[0]["pressure"] == "中"
    assert _rate(braden={"total": 19})[0]["pressure"] == "低"
    assert _rate(annex={"pressure_injury": "Ⅰ期"})[0]["pressure"] == "高"


def test_choking_and_wandering_from_items_and_annex() -> None:
    assert _rate({"B.1.1": 0})[0]["choking"] == "高"
    assert _rate({"B.1.1": 1})[0]["choking"] == "高"
    assert _rate({"B.1.1": 2})[0]["choking"] == "中"
    assert _rate({"B.1.1": 3})[0]["choking"] == "低"
    assert _rate(annex={"swallowing": ["吃东西或喝水时出现咳嗽或呛咳"]})[0]["choking"] == "中"
    assert _rate(annex={"swallowing": ["无"]})[0]["choking"] == "低"
    assert _rate({"B.3.2": 1})[0]["wandering"] == "高"
    assert _rate({"B.3.2": 2})[0]["wandering"] == "中"
    assert _rate(annex={"risk_走失": "1"})[0]["wandering"] == "高"
    assert _rate(annex={"diagnoses": ["痴呆"]})[0]["wandering"] == "中"
    labels, ratings = _rate({"B.3.2": 2}, annex={"diagnoses": ["痴呆"]})
    assert len(ratings["wandering"]["reasons"]) == 2 and overall(ratings) is Level.MEDIUM
