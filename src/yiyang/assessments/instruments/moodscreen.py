"""老年人情感状态粗筛 — REFERENCE §4.1 (健康体检表, 老年人情感状态).

One question: "你经常感到伤心或抑郁吗？" or "你的情绪怎么样？".  "是" or "不太好" is a positive
screen, to be followed by GDS-15 (REFERENCE §4.1, §5.5).  Question code "1"; 1 point for the
positive answer.
"""

from __future__ import annotations

from types import MappingProxyType

from .base import Band, BandTable, Option, Question, Risk
from .screening import ScreenScale

QUESTIONS: tuple[Question, ...] = (
    Question(
        "1",
        "经常感到伤心或抑郁，或情绪不太好",
        (Option(0, "否 / 情绪好"), Option(1, "是 / 情绪不太好")),
        hint="问老人：“你经常感到伤心或抑郁吗？”或“你的情绪怎么样？”",
    ),
)

# REFERENCE §4.1: "yes" or "not very good" = positive (粗筛阳性) → GDS.
STANDARD = BandTable(
    "standard",
    "国家基本公共卫生服务规范（第三版）健康体检表",
    (
        Band("negative", "粗筛阴性", 0, 0),
        Band("positive", "粗筛阳性（请做老年抑郁量表 GDS-15）", 1, 1, Risk.DEPRESSION),
    ),
    source="REFERENCE §4.1",
)


class MoodScreen(ScreenScale):
    code = "moodscreen"
    name = "老年人情感状态粗筛"
    version = "国家基本公共卫生服务规范（第三版）健康体检表"
    source = "REFERENCE §4.1"
    questions = QUESTIONS
    band_tables = MappingProxyType({STANDARD.key: STANDARD})
    default_convention = "standard"
    max_total = 1
    follow_up = "gds15"


SCALE = MoodScreen()
