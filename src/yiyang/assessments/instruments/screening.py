"""The two rough screens of the elderly check-up form (pure; REFERENCE §4.1).

The 健康体检表 of the basic public-health service has elderly-only boxes for cognition and mood:
each is a rough screen (粗筛) whose positive result sends the person on to a full scale — MMSE
after a positive cognitive screen, GDS-15 after a positive mood screen.  Both screens are
additive with one band table and no context, so they share :class:`ScreenScale`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .base import BandTable, Outcome, Scale, check_answers


class ScreenScale(Scale):
    """A rough screen: the total's band is the result; ``follow_up`` names the full scale."""

    follow_up: str = ""  # registry code of the scale a positive screen leads to

    @property
    def table(self) -> BandTable:
        return self.band_tables[self.default_convention]

    def evaluate(
        self, answers: Mapping[str, int], context: Mapping[str, Any] | None = None
    ) -> Outcome:
        check_answers(self.questions, answers)
        if context:
            raise ValueError(f"未知的评估背景信息：{'、'.join(map(str, context))}")
        points = {q.code: q.option(answers[q.code]).score for q in self.questions}
        total = sum(points.values())
        band = self.table.band_for(total)
        positive = band.risk is not None
        return Outcome(
            total=total,
            band=band.key,
            band_label=band.label,
            summary=f"{total} 分 · {band.label}",
            risks=frozenset({band.risk} if band.risk else ()),
            details=MappingProxyType(
                {"points": points, "follow_up": self.follow_up if positive else ""}
            ),
        )
