"""中医体质辨识（老年人中医药健康管理）— REFERENCE §4.3.

The first 33 questions of the 老年人中医药健康管理服务记录表, codes "1".."33" as numbered on the
form; every answer is 1–5 (没有/很少/有时/经常/总是), stored as given.  Questions 9, 14, 17 and 28
show the form's measurable anchors instead of the frequency words.

There is no single total (``additive = False``, ``total`` None): nine constitutions are scored
from item groups and judged separately.  The judgement tables are exposed as pure functions
(:func:`judge_biased`, :func:`judge_balanced`, :func:`judge`) so they can be tested directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from .base import Band, BandTable, Option, Outcome, Question, Scale, check_answers

__all__ = [
    "BALANCED",
    "BIASED",
    "BIASED_TABLE",
    "CONSTITUTIONS",
    "SCALE",
    "Constitution",
    "Judgement",
    "constitution_scores",
    "judge",
    "judge_balanced",
    "judge_biased",
]

# REFERENCE §4.3 "Answers": the five frequency levels, with the form's glosses.
_FREQUENCY = ("没有（根本不）", "很少（有一点）", "有时（有些）", "经常（相当）", "总是（非常）")

# REFERENCE §4.3: the four questions answered on measurable anchors.  Q14 skips "7 a year" on
# the form; the reference folds 7 into level 4, so its label says so.  Waist in whole cm.
_ANCHORS: Mapping[int, tuple[str, str, str, str, str]] = {
    9: ("BMI＜24", "24≤BMI＜25", "25≤BMI＜26", "26≤BMI＜28", "BMI≥28"),
    14: (
        "一年＜2 次",
        "一年感冒 2～4 次",
        "一年感冒 5～6 次",
        "一年感冒 7 次及以上",
        "几乎每月都感冒",
    ),
    17: (
        "从来没有",
        "一年 1～2 次",
        "一年 3～4 次",
        "一年 5～6 次",
        "每次遇到上述原因都过敏",
    ),
    28: (
        "腹围＜80 cm（约 2.4 尺）",
        "腹围 80～85 cm（2.4～2.55 尺）",
        "腹围 86～90 cm（2.56～2.7 尺）",
        "腹围 91～105 cm（2.71～3.15 尺）",
        "腹围＞105 cm（3.15 尺以上）",
    ),
}

# REFERENCE §4.3 "The 33 questions", in the form's standard wording.
_TEXTS: tuple[tuple[str, str], ...] = (
    ("您精力充沛吗？", "指精神头足，乐于做事"),
    ("您容易疲乏吗？", "指体力如何，是否稍微活动一下或做一点家务劳动就感到累"),
    ("您容易气短、呼吸短促、接不上气吗？", ""),
    ("您说话声音低弱无力吗？", "指说话没有力气"),
    ("您感到闷闷不乐、情绪低沉吗？", "指心情不愉快，情绪低落"),
    ("您容易精神紧张、焦虑不安吗？", "指遇事是否心情紧张"),
    ("您因为生活状态改变而感到孤独、失落吗？", ""),
    ("您容易感到害怕或受到惊吓吗？", ""),
    ("您感到身体超重不轻松吗？", "感觉身体沉重；BMI＝体重（kg）÷身高²（m²）"),
    ("您眼睛干涩吗？", ""),
    ("您手脚发凉吗？", "不包含因周围温度低或穿得少导致的手脚发冷"),
    ("您胃脘部、背部或腰膝部怕冷吗？", "指上腹部、背部、腰部或膝关节等，有一处或多处怕冷"),
    ("您比一般人耐受不了寒冷吗？", "指比别人容易害怕冬天或夏天的冷空调、电扇等"),
    ("您容易患感冒吗？", "指每年感冒的次数"),
    ("您没有感冒时也会鼻塞、流鼻涕吗？", ""),
    ("您有口黏口腻，或睡眠打鼾吗？", ""),
    ("您容易过敏（对药物、食物、气味、花粉或在季节交替、气候变化时）吗？", ""),
    ("您的皮肤容易起荨麻疹吗？", "包括风团、风疹块、风疙瘩"),
    (
        "您的皮肤在不知不觉中会出现青紫瘀斑、皮下出血吗？",
        "指皮肤在没有外伤的情况下出现青一块紫一块的情况",
    ),
    ("您的皮肤一抓就红，并出现抓痕吗？", "指被指甲或钝物划过后皮肤的反应"),
    ("您皮肤或口唇干吗？", ""),
    ("您有肢体麻木或固定部位疼痛的感觉吗？", ""),
    ("您面部或鼻部有油腻感或者油亮发光吗？", "指脸上或鼻子"),
    ("您面色或目眶晦暗，或出现褐色斑块/斑点吗？", ""),
    ("您有皮肤湿疹、疮疖吗？", ""),
    ("您感到口干咽燥、总想喝水吗？", ""),
    ("您感到口苦或嘴里有异味吗？", "指口苦或口臭"),
    ("您腹部肥大吗？", "指腹部脂肪肥厚"),
    (
        "您吃（喝）凉的东西会感到不舒服或者怕吃（喝）凉的东西吗？",
        "指不喜欢吃凉的食物，或吃了凉的食物后会不舒服",
    ),
    ("您有大便黏滞不爽、有解不尽的感觉吗？", "大便容易黏在马桶或便坑壁上"),
    ("您容易大便干燥吗？", ""),
    ("您舌苔厚腻或有舌苔厚厚的感觉吗？", "如果自我感觉不清楚，可由调查员观察后填写"),
    ("您舌下静脉瘀紫或增粗吗？", "可由调查员辅助观察后填写"),
)


def _question(number: int, text: str, hint: str) -> Question:
    labels = _ANCHORS.get(number, _FREQUENCY)
    options = tuple(Option(value, label) for value, label in enumerate(labels, start=1))
    return Question(str(number), text, options, hint=hint)


QUESTIONS: tuple[Question, ...] = tuple(
    _question(n, text, hint) for n, (text, hint) in enumerate(_TEXTS, start=1)
)


class Judgement(StrEnum):
    YES = "yes"
    LEANING = "leaning"  # 偏颇体质 9–10
    BASICALLY = "basically"  # 平和质 only
    NO = "no"

    @property
    def label(self) -> str:
        return _JUDGEMENT_LABELS[self]


_JUDGEMENT_LABELS = {
    Judgement.YES: "是",
    Judgement.LEANING: "倾向是",
    Judgement.BASICALLY: "基本是",
    Judgement.NO: "否",
}


@dataclass(frozen=True, slots=True)
class Constitution:
    key: str
    name: str
    items: tuple[int, ...]  # question numbers summed
    reverse: frozenset[int] = frozenset()  # scored 6 − answer

    @property
    def low(self) -> int:
        return len(self.items)

    @property
    def high(self) -> int:
        return 5 * len(self.items)

    def score(self, answers: Mapping[str, int]) -> int:
        return sum(
            6 - answers[str(n)] if n in self.reverse else answers[str(n)] for n in self.items
        )


# REFERENCE §4.3 "Constitution groups": 平和质 first, then the eight 偏颇 types in table order.
BALANCED = Constitution("pinghe", "平和质", (1, 2, 4, 5, 13), frozenset({2, 4, 5, 13}))
BIASED: tuple[Constitution, ...] = (
    Constitution("qixu", "气虚质", (2, 3, 4, 14)),
    Constitution("yangxu", "阳虚质", (11, 12, 13, 29)),
    Constitution("yinxu", "阴虚质", (10, 21, 26, 31)),
    Constitution("tanshi", "痰湿质", (9, 16, 28, 32)),
    Constitution("shire", "湿热质", (23, 25, 27, 30)),
    Constitution("xueyu", "血瘀质", (19, 22, 24, 33)),
    Constitution("qiyu", "气郁质", (5, 6, 7, 8)),
    Constitution("tebing", "特禀质", (15, 17, 18, 20)),
)
CONSTITUTIONS: tuple[Constitution, ...] = (BALANCED, *BIASED)

# REFERENCE §4.3 "Judgement", 偏颇 types: ≥11 是; 9–10 倾向是; ≤8 否 (the reference says ≤8,
# not the "<8" one implementation writes).
BIASED_TABLE = BandTable(
    "standard",
    "国家基本公共卫生服务规范（第三版）体质判定",
    (
        Band(Judgement.NO.value, Judgement.NO.label, 4, 8),
        Band(Judgement.LEANING.value, Judgement.LEANING.label, 9, 10),
        Band(Judgement.YES.value, Judgement.YES.label, 11, 20),
    ),
    source="REFERENCE §4.3",
)
# REFERENCE §4.3 "Judgement", 平和质: ≥17 and every other type ≤8 → 是; ≥17 and every other
# type ≤10 → 基本是; otherwise 否.
BALANCED_AT_LEAST = 17
BALANCED_OTHERS_YES = 8
BALANCED_OTHERS_BASICALLY = 10


def _check_score(score: object, constitution: Constitution) -> int:
    if not isinstance(score, int) or isinstance(score, bool):
        raise ValueError(f"{constitution.name}得分必须是整数：{score!r}")
    if not constitution.low <= score <= constitution.high:
        raise ValueError(
            f"{constitution.name}得分 {score} 不在 {constitution.low}–{constitution.high} 范围内"
        )
    return score


def judge_biased(score: int) -> Judgement:
    """Judgement of one 偏颇 type from its score (4–20)."""
    _check_score(score, BIASED[0])
    return Judgement(BIASED_TABLE.band_for(score).key)


def judge_balanced(score: int, others: Iterable[int]) -> Judgement:
    """Judgement of 平和质 from its score (5–25) and the eight 偏颇 types' scores."""
    _check_score(score, BALANCED)
    worst = max((_check_score(s, BIASED[0]) for s in others), default=BIASED[0].low)
    if score >= BALANCED_AT_LEAST and worst <= BALANCED_OTHERS_YES:
        return Judgement.YES
    if score >= BALANCED_AT_LEAST and worst <= BALANCED_OTHERS_BASICALLY:
        return Judgement.BASICALLY
    return Judgement.NO


def constitution_scores(answers: Mapping[str, int]) -> dict[str, int]:
    """Each constitution's score (key → sum of its items, reverse items as 6 − answer)."""
    return {c.key: c.score(answers) for c in CONSTITUTIONS}


def judge(scores: Mapping[str, int]) -> dict[str, Judgement]:
    """Every constitution's judgement from the nine scores (keys as in :data:`CONSTITUTIONS`)."""
    missing = [c.name for c in CONSTITUTIONS if c.key not in scores]
    if missing:
        raise ValueError(f"缺少体质得分：{'、'.join(missing)}")
    others = [scores[c.key] for c in BIASED]
    found = {BALANCED.key: judge_balanced(scores[BALANCED.key], others)}
    found.update({c.key: judge_biased(scores[c.key]) for c in BIASED})
    return found


def _names(constitutions: list[Constitution], scores: Mapping[str, int] | None = None) -> str:
    if scores is None:
        return "、".join(c.name for c in constitutions)
    return "、".join(f"{c.name} {scores[c.key]} 分" for c in constitutions)


_CONTEXT_KEYS = frozenset({"convention"})


class TcmScale(Scale):
    code = "tcm"
    name = "中医体质辨识（老年人中医药健康管理）"
    version = "国家基本公共卫生服务规范（第三版）老年人中医药健康管理服务记录表"
    source = "REFERENCE §4.3"
    questions = QUESTIONS
    band_tables = MappingProxyType({BIASED_TABLE.key: BIASED_TABLE})
    default_convention = "standard"
    additive = False
    max_total = None

    def _check_context(self, context: Mapping[str, Any] | None) -> None:
        ctx = {} if context is None else context
        if not isinstance(ctx, Mapping):
            raise ValueError(f"评估背景信息应为映射：{type(ctx).__name__}")
        unknown = [str(k) for k in ctx if k not in _CONTEXT_KEYS]
        if unknown:
            raise ValueError(f"未知的评估背景信息：{'、'.join(unknown)}")
        key = ctx.get("convention", self.default_convention)
        if not isinstance(key, str) or key not in self.band_tables:
            raise ValueError(f"未知的分级标准：{key!r}（可选：{'、'.join(self.band_tables)}）")

    def evaluate(
        self, answers: Mapping[str, int], context: Mapping[str, Any] | None = None
    ) -> Outcome:
        check_answers(self.questions, answers)
        self._check_context(context)
        scores = constitution_scores(answers)
        judged = judge(scores)
        yes = [c for c in BIASED if judged[c.key] is Judgement.YES]
        leaning = [c for c in BIASED if judged[c.key] is Judgement.LEANING]
        balanced = judged[BALANCED.key]
        # Label without scores (printed as the result), summary with them (lists).
        if balanced is Judgement.YES:
            band, label, summary = "pinghe", BALANCED.name, _names([BALANCED], scores)
        elif balanced is Judgement.BASICALLY:
            band = "pinghe_basic"
            label = f"基本是{BALANCED.name}"
            summary = f"基本是{_names([BALANCED], scores)}"
        elif yes:
            band, label, summary = "biased", _names(yes), _names(yes, scores)
        elif leaning:
            band, label, summary = "leaning", "", ""
        else:
            band, label, summary = "undetermined", "未判定出体质类型", "未判定出体质类型"
        if leaning:
            sep = "；" if label else ""
            label += f"{sep}倾向：{_names(leaning)}"
            summary += f"{sep}倾向：{_names(leaning, scores)}"
        return Outcome(
            total=None,
            band=band,
            band_label=label,
            summary=summary,
            details=MappingProxyType(
                {
                    "constitutions": [
                        {
                            "key": c.key,
                            "name": c.name,
                            "score": scores[c.key],
                            "judgement": judged[c.key].value,
                            "judgement_label": judged[c.key].label,
                        }
                        for c in CONSTITUTIONS
                    ],
                    "balanced": balanced.value,
                    "yes": [c.key for c in yes],
                    "leaning": [c.key for c in leaning],
                    "convention": BIASED_TABLE.key,
                }
            ),
        )


SCALE = TcmScale()
