"""Every registered instrument has the shape records, forms and reports rely on (base.py).

Generic over :func:`registry.scales`, so an instrument added later is checked without editing
this file.  Context: MMSE needs ``education``; any choice field gets its first choice.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiyang.assessments.instruments import registry
from yiyang.assessments.instruments.base import Outcome, Risk, Scale

SCALES = registry.scales()
CJK = re.compile(r"[\u4e00-\u9fff]")

# The menu order the brief fixes.
EXPECTED_CODES = [
    "gbt42195",
    "barthel",
    "morse",
    "braden",
    "mmse",
    "minicog",
    "ad8",
    "gds15",
    "mnasf",
    "selfcare",
    "cogscreen",
    "moodscreen",
    "tcm",
]
NEW_MODULES = [
    "barthel",
    "braden",
    "morse",
    "mmse",
    "minicog",
    "ad8",
    "gds15",
    "mnasf",
    "selfcare",
    "cogscreen",
    "moodscreen",
    "tcm",
]

by_code = pytest.mark.parametrize("code", list(SCALES))


def context_for(scale: Scale) -> dict[str, Any]:
    return {f.name: f.choices[0][0] for f in scale.context_fields if f.choices}


def complete(scale: Scale, pick: Any) -> dict[str, int]:
    """Required questions answered with ``pick(options)``; then whatever ``missing`` still asks
    for (MNA-SF's F1/F2 pair) answered one question at a time."""
    answers = {q.code: pick(q.options).value for q in scale.questions if q.required}
    while missing := scale.missing(answers):
        q = missing[0]
        answers[q.code] = pick(q.options).value
    return answers


def by_points(options: tuple[Any, ...], highest: bool) -> Any:
    return (max if highest else min)(options, key=lambda o: o.score)


def test_menu_order() -> None:
    assert list(SCALES) == EXPECTED_CODES
    assert [c for c, _ in registry.choices()] == EXPECTED_CODES


def test_codes_are_unique_and_match_modules() -> None:
    assert len(set(SCALES)) == len(SCALES)
    for module in NEW_MODULES:
        scale = importlib.import_module(f"yiyang.assessments.instruments.{module}").SCALE
        assert scale.code == module
        assert registry.get(module) is scale


def test_get_unknown() -> None:
    with pytest.raises(ValueError, match="未知的评估量表"):
        registry.get("phq9")


@by_code
def test_metadata(code: str) -> None:
    scale = SCALES[code]
    assert isinstance(scale, Scale)
    assert CJK.search(scale.name), scale.name
    assert scale.version.strip() and scale.source.strip()
    assert "REFERENCE" in scale.source
    assert scale.questions


@by_code
def test_questions_and_options(code: str) -> None:
    scale = SCALES[code]
    codes = [q.code for q in scale.questions]
    assert len(codes) == len(set(codes))
    for q in scale.questions:
        assert q.code and q.text.strip()
        assert len(q.options) >= 2, q.code
        values = [o.value for o in q.options]
        assert len(values) == len(set(values)), q.code
        assert all(o.label.strip() for o in q.options)
        assert all(isinstance(o.value, int) and isinstance(o.score, int) for o in q.options)


@by_code
def test_band_tables(code: str) -> None:
    scale = SCALES[code]
    if not scale.band_tables:
        return
    assert scale.default_convention in scale.band_tables
    for key, table in scale.band_tables.items():
        assert table.key == key
        assert CJK.search(table.label)
        for band in table.bands:
            assert band.low <= band.high and CJK.search(band.label)
            assert band.risk is None or isinstance(band.risk, Risk)


def check_outcome(scale: Scale, answers: dict[str, int], out: Outcome) -> None:
    assert isinstance(out, Outcome)
    payload = out.as_json()
    assert json.loads(json.dumps(payload, ensure_ascii=False)) == payload
    assert out.band and CJK.search(out.band_label) and out.summary.strip()
    assert "\n" not in out.summary
    assert all(isinstance(r, Risk) for r in out.risks)
    if scale.additive:
        assert out.total == scale.running_total(answers)
        assert out.total is not None and scale.min_total <= out.total
        if scale.max_total is not None:
            assert out.total <= scale.max_total
        assert out.summary.startswith(f"{out.total} 分")


@by_code
@pytest.mark.parametrize("highest", [True, False])
def test_extremes_evaluate(code: str, highest: bool) -> None:
    scale = SCALES[code]
    answers = complete(scale, lambda options: by_points(options, highest))
    out = scale.evaluate(answers, context_for(scale))
    check_outcome(scale, answers, out)
    if scale.additive and scale.max_total is not None and highest:
        assert out.total == scale.max_total
    if scale.additive and not highest:
        assert out.total == scale.min_total


@by_code
def test_missing_lists_every_required_question_when_empty(code: str) -> None:
    scale = SCALES[code]
    assert {q.code for q in scale.questions if q.required} <= {q.code for q in scale.missing({})}
    assert scale.missing(complete(scale, lambda options: options[0])) == []


@by_code
def test_empty_answers_are_refused(code: str) -> None:
    scale = SCALES[code]
    with pytest.raises(ValueError, match="缺少"):
        scale.evaluate({}, context_for(scale))


@by_code
@settings(max_examples=40)
@given(data=st.data())
def test_any_complete_answer_set(code: str, data: st.DataObject) -> None:
    scale = SCALES[code]
    answers = complete(scale, lambda options: data.draw(st.sampled_from(options)))
    check_outcome(scale, answers, scale.evaluate(answers, context_for(scale)))


def test_new_modules_import_no_django() -> None:
    for module in NEW_MODULES:
        path = Path(sys.modules[SCALES[module].__module__].__file__ or "")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not any(n.split(".")[0] in {"django", "yiyang"} for n in names), (module, names)


def test_details_are_plain_mappings() -> None:
    for scale in SCALES.values():
        answers = complete(scale, lambda options: options[0])
        details = scale.evaluate(answers, context_for(scale)).details
        assert isinstance(details, Mapping)
