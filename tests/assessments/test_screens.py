"""The two rough screens of the elderly check-up form (REFERENCE §4.1), from literal cases.

Cognition: three objects repeated at once and after one minute; failing either is positive and
leads to the MMSE.  Mood: "often sad or depressed?" / "how is your mood?"; "yes" or "not very
good" is positive and leads to GDS-15.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.assessments.instruments import cogscreen, moodscreen, screening
from yiyang.assessments.instruments.base import Risk

COG, MOOD = cogscreen.SCALE, moodscreen.SCALE


# (immediate, after one minute, band, follow-up) — REFERENCE §4.1: either failure = positive.
@pytest.mark.parametrize(
    ("immediate", "later", "band", "follow_up"),
    [
        (1, 1, "negative", ""),
        (1, 0, "positive", "mmse"),
        (0, 1, "positive", "mmse"),
        (0, 0, "positive", "mmse"),
    ],
)
def test_cognitive_screen(immediate: int, later: int, band: str, follow_up: str) -> None:
    outcome = COG.evaluate({"1": immediate, "2": later})
    assert outcome.band == band
    assert outcome.details["follow_up"] == follow_up
    assert outcome.risks == (frozenset({Risk.COGNITIVE}) if band == "positive" else frozenset())
    assert outcome.band_label.startswith("粗筛阳性" if band == "positive" else "粗筛阴性")


@pytest.mark.parametrize(
    ("answer", "band", "follow_up"), [(0, "negative", ""), (1, "positive", "gds15")]
)
def test_mood_screen(answer: int, band: str, follow_up: str) -> None:
    outcome = MOOD.evaluate({"1": answer})
    assert (outcome.band, outcome.details["follow_up"]) == (band, follow_up)
    assert (Risk.DEPRESSION in outcome.risks) is (band == "positive")


def test_the_follow_ups_are_registered_scales() -> None:
    from yiyang.assessments.instruments import registry

    assert {COG.follow_up, MOOD.follow_up} <= set(registry.scales())


@pytest.mark.parametrize("bad", [{"1": 1}, {"1": 1, "2": 2}, {"1": 1, "2": 1, "3": 1}])
def test_incomplete_or_bad_answers_are_refused(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        COG.evaluate(bad)


def test_context_is_refused() -> None:
    with pytest.raises(ValueError, match="背景信息"):
        MOOD.evaluate({"1": 0}, {"education": "primary"})


@given(st.integers(0, 1), st.integers(0, 1))
def test_a_failed_recall_never_makes_the_screen_negative(immediate: int, later: int) -> None:
    outcome = COG.evaluate({"1": immediate, "2": later})
    assert 0 <= outcome.total <= 2
    assert (outcome.band == "negative") is (immediate == 1 and later == 1)


def test_the_shared_module_is_pure() -> None:
    for module in (screening, cogscreen, moodscreen):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        names = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not any(m.split(".")[0] in {"django", "yiyang"} for m in names), module
