"""The admission assessment's risk levels (pure; seed 002 §十九, GB 38600's four care risks).

Seed 002 §十九 asks the admission assessment for health status, service needs, risk level and
ability.  The four risks are those the assessments issue names from GB 38600: fall, pressure,
choking and wandering.  Each is rated 高/中/低 from the instrument results and Annex A, with the
reasons kept so the nurse sees why:

- fall: Morse band (REFERENCE §5.3; "high" band → 高, any other band at risk → 中), raised to at
  least 中 by a fall in the last 30 days (A.2.14);
- pressure: Braden total (REFERENCE §5.2: ≤ 12 高, ≤ 18 中), 高 when A.5.1 records a pressure
  injury of any stage;
- choking: GB/T 42195 B.1.1 进食 (REFERENCE §2.2: 0–1 = frequent choking, tube feeding or
  swallowing difficulty → 高; 2 = occasional choking → 中), at least 中 with A.5.8 symptoms or a
  choking in the last 30 days;
- wandering: B.3.2 空间定向 (0–1 → 高, 2 → 中), 高 after a wandering in the last 30 days, at
  least 中 with a dementia diagnosis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Level(IntEnum):
    LOW = 0
    MEDIUM = 1
    HIGH = 2

    @property
    def label(self) -> str:
        return ("低", "中", "高")[self]


# Service needs asked on admission (seed 002 §十九 "服务需求"); the list follows the services a
# 医养结合 institution offers (seed 002 §六–§十二): daily care, medical care, rehabilitation, TCM,
# mental support, nutrition, cognitive care, hospice.
SERVICE_NEEDS: tuple[tuple[str, str], ...] = (
    ("daily_care", "生活照料"),
    ("medical_care", "医疗护理"),
    ("rehabilitation", "康复训练"),
    ("tcm", "中医药服务"),
    ("mental", "心理/精神慰藉"),
    ("nutrition", "膳食营养"),
    ("dementia_care", "认知症照护"),
    ("escort", "陪同就医"),
    ("hospice", "安宁疗护"),
)

RISKS: tuple[tuple[str, str], ...] = (
    ("fall", "跌倒"),
    ("pressure", "压力性损伤"),
    ("choking", "噎食"),
    ("wandering", "走失"),
)


@dataclass
class Rating:
    level: Level = Level.LOW
    reasons: list[str] = field(default_factory=list)

    def at_least(self, level: Level, reason: str) -> None:
        self.level = max(self.level, level)
        self.reasons.append(reason)

    def as_json(self) -> dict[str, Any]:
        return {"level": int(self.level), "label": self.level.label, "reasons": self.reasons}


def rate(
    *,
    ability: Mapping[str, Any],
    morse: Mapping[str, Any],
    braden: Mapping[str, Any],
) -> dict[str, dict[str, Any]]:
    """Ratings from the three finished components.

    ``ability``: {"answers": GB/T 42195 answers, "annex": Annex A}; ``morse`` and ``braden``:
    their Outcome JSON (band, total, risks).
    """
    answers: Mapping[str, int] = ability["answers"]
    annex: Mapping[str, Any] = ability.get("annex", {})
    out = {key: Rating() for key, _ in RISKS}

    fall = out["fall"]
    if morse.get("band") == "high":
        fall.at_least(Level.HIGH, f"Morse {morse.get('total')} 分，{morse.get('band_label')}")
    elif "fall" in morse.get("risks", []):
        fall.at_least(Level.MEDIUM, f"Morse {morse.get('total')} 分，{morse.get('band_label')}")
    if int(annex.get("risk_跌倒", "0")) >= 1:
        fall.at_least(Level.MEDIUM, "近30天内发生过跌倒")

    pressure = out["pressure"]
    total = braden.get("total")
    if isinstance(total, int) and total <= 12:
        pressure.at_least(Level.HIGH, f"Braden {total} 分（≤12）")
    elif isinstance(total, int) and total <= 18:
        pressure.at_least(Level.MEDIUM, f"Braden {total} 分（≤18）")
    stage = annex.get("pressure_injury", "无")
    if stage != "无":
        pressure.at_least(Level.HIGH, f"现有压力性损伤：{stage}")

    choking = out["choking"]
    eating = answers.get("B.1.1", 4)
    if eating <= 1:
        choking.at_least(Level.HIGH, f"进食评 {eating} 分（经常噎食、吞咽困难或管饲）")
    elif eating == 2:
        choking.at_least(Level.MEDIUM, "进食评 2 分（偶有噎食）")
    symptoms = [s for s in annex.get("swallowing", []) if s != "无"]
    if symptoms:
        choking.at_least(Level.MEDIUM, "吞咽困难症状：" + "、".join(symptoms))
    if int(annex.get("risk_噎食", "0")) >= 1:
        choking.at_least(Level.MEDIUM, "近30天内发生过噎食")

    wandering = out["wandering"]
    orientation = answers.get("B.3.2", 4)
    if orientation <= 1:
        wandering.at_least(Level.HIGH, f"空间定向评 {orientation} 分")
    elif orientation == 2:
        wandering.at_least(Level.MEDIUM, "空间定向评 2 分（不能单独外出）")
    if int(annex.get("risk_走失", "0")) >= 1:
        wandering.at_least(Level.HIGH, "近30天内发生过走失")
    if "痴呆" in annex.get("diagnoses", []):
        wandering.at_least(Level.MEDIUM, "诊断痴呆")

    return {key: rating.as_json() for key, rating in out.items()}


def overall(ratings: Mapping[str, Mapping[str, Any]]) -> Level:
    return Level(max((r["level"] for r in ratings.values()), default=0))
