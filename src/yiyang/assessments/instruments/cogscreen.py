"""老年人认知功能粗筛 — REFERENCE §4.1 (健康体检表, 老年人认知功能).

Name three objects; the person repeats them at once and again after one minute.  Failing either
is a positive screen, to be followed by the MMSE (REFERENCE §4.1, §5.4).  Question codes "1"
(immediate) and "2" (after one minute); 1 = repeated all three, 0 = did not.
"""

from __future__ import annotations

from types import MappingProxyType

from .base import Band, BandTable, Option, Question, Risk
from .screening import ScreenScale

_ANSWERS = (Option(1, "能全部说出"), Option(0, "不能全部说出"))

QUESTIONS: tuple[Question, ...] = (
    Question("1", "即刻复述三个物品名称", _ANSWERS,
             hint="告诉老人三样物品的名称（如：铅笔、卡车、书），请其立刻复述"),
    Question("2", "1 分钟后回忆三个物品名称", _ANSWERS,
             hint="约 1 分钟后，再请老人说出这三样物品"),
)

# REFERENCE §4.1: failure of either = positive (粗筛阳性) → MMSE.
STANDARD = BandTable(
    "standard",
    "国家基本公共卫生服务规范（第三版）健康体检表",
    (
        Band("negative", "粗筛阴性", 2, 2),
        Band("positive", "粗筛阳性（请做简易智力状态检查 MMSE）", 0, 1, Risk.COGNITIVE),
    ),
    source="REFERENCE §4.1",
)


class CognitiveScreen(ScreenScale):
    code = "cogscreen"
    name = "老年人认知功能粗筛"
    version = "国家基本公共卫生服务规范（第三版）健康体检表"
    source = "REFERENCE §4.1"
    questions = QUESTIONS
    band_tables = MappingProxyType({STANDARD.key: STANDARD})
    default_convention = "standard"
    max_total = 2
    follow_up = "mmse"


SCALE = CognitiveScreen()
