"""GB/T 42195-2022 presented as a :class:`~.base.Scale` for records, forms and reports.

The scoring itself stays in :mod:`.gbt42195` (the public function external checks call); this
module only maps it onto the shared instrument shape.  The C.4 inputs come from Annex A, which the
record keeps beside the answers and passes in as context.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from . import gbt42195
from .base import ContextField, Option, Outcome, Question, Risk, Scale, check_answers

# B.1.1 进食 at 2 or below means choking at least monthly (REFERENCE §2.2); B.2.3 平地行走 at 3
# or below is the standard's own "fall risk" wording; B.3.2 空间定向 at 2 or below means the
# person cannot go out alone and knows little of where they live.  These are care-planning hints
# derived from the item texts, not part of the standard's banding.
_RISK_ITEMS: tuple[tuple[str, int, Risk], ...] = (
    ("B.1.1", 2, Risk.CHOKING),
    ("B.2.3", 3, Risk.FALL),
    ("B.3.2", 2, Risk.WANDERING),
)


def _questions() -> tuple[Question, ...]:
    return tuple(
        Question(
            code=item.code,
            text=item.name,
            group=item.dimension.value,
            options=tuple(Option(score, text) for score, text in item.options.items()),
        )
        for item in gbt42195.ITEMS.values()
    )


class AbilityScale(Scale):
    code = "gbt42195"
    name = "老年人能力评估（GB/T 42195-2022）"
    version = gbt42195.VERSION
    source = "REFERENCE §2（GB/T 42195-2022 附录 B、C）"
    questions = _questions()
    context_fields = (
        ContextField("coma", "A.5.11 昏迷"),
        ContextField("dementia_or_mental", "A.4.1 痴呆或经精神科医师确诊的精神和行为障碍"),
        ContextField("risk_events_30d", "A.2.14 近30天照护风险事件次数"),
    )
    max_total = gbt42195.MAX_TOTAL

    def evaluate(
        self, answers: Mapping[str, int], context: Mapping[str, Any] | None = None
    ) -> Outcome:
        check_answers(self.questions, answers)
        ctx = dict(context or {})
        result = gbt42195.score(
            answers,
            coma=bool(ctx.get("coma", False)),
            dementia_or_mental=bool(ctx.get("dementia_or_mental", False)),
            risk_events_30d=int(ctx.get("risk_events_30d", 0)),
            stack_clauses=bool(ctx.get("stack_clauses", False)),
        )
        risks = {risk for code, at_most, risk in _RISK_ITEMS if answers[code] <= at_most}
        if result.final_level >= 2:
            risks.add(Risk.DEPENDENCY)
        level = result.final_level
        return Outcome(
            total=result.total,
            band=f"level{level}",
            band_label=gbt42195.LEVEL_FULL_NAMES[level],
            summary=f"{result.total} 分 · {gbt42195.LEVEL_NAMES[level]}",
            risks=frozenset(risks),
            level=level,
            details=MappingProxyType(
                {
                    "dimensions": dict(result.dimensions),
                    "initial_level": result.initial_level,
                    "final_level": level,
                    "clauses": [c.value for c in result.clauses],
                    "clause_labels": list(result.clause_labels),
                    "stack_clauses": result.stack_clauses,
                    "notes": list(result.notes),
                }
            ),
        )


SCALE = AbilityScale()
