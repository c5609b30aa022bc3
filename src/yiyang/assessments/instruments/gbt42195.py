"""GB/T 42195-2022 《老年人能力评估规范》 scoring (pure Python, no Django).

Annex B items as data (docs REFERENCE §2.1–§2.2), total → initial level (§2.3, C.3) and the
level-change clauses of C.4 → final level (§2.4, C.5).  Every item scores higher = more able, so
a higher total means a lower (better) level: 0 能力完好 … 4 完全失能.

Item names, explanations and option texts are in the standard's Chinese (附录B 老年人能力评估表),
replacing the English paraphrase of REFERENCE §2.2.  The printed standard was not at hand; the
wording was collated from public nursing-home systems that reproduce Annex B (REFERENCE §2 header),
as indexed GitHub files:

* [A] id 7705503546 — Python file holding the whole Annex B text in a comment;
* [B] id 32704356419 — JavaScript form config "老年人能力评估国内标准2022版" (b01–b04);
* [C] id 66873549611 — Vue assessment form, B.1–B.4 radio labels (lacks B.1.3/B.1.4);
* [D] id 61491919805 — Go seed data (module kangxiaoban-service), abbreviated labels, only a
  tie-breaker.

[A], [B] and [C] are full transcriptions and agree on most items.  Where they differ, the reading
two of them share was taken; each difference is noted at the item.  Check the wording against the
printed standard before shipping printed forms (§2 header).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "DIMENSION_MAX",
    "ITEMS",
    "LEVEL_BANDS",
    "LEVEL_FULL_NAMES",
    "LEVEL_NAMES",
    "MAX_LEVEL",
    "MAX_TOTAL",
    "RISK_EVENT_TYPES",
    "RISK_EVENTS_THRESHOLD",
    "VERSION",
    "Assessment",
    "ChangeClause",
    "Dimension",
    "Item",
    "initial_level",
    "risk_event_count",
    "score",
]

VERSION = "GB/T 42195-2022"


# --------------------------------------------------------------------------- dimensions


class Dimension(StrEnum):
    # REFERENCE §2.1: the four first-level indicators (一级指标); the value is the Chinese name,
    # used as the key of Assessment.dimensions.
    SELF_CARE = "自理能力"
    MOBILITY = "基础运动能力"
    MENTAL = "精神状态"
    PERCEPTION_SOCIAL = "感知觉与社会参与"

    @property
    def code(self) -> str:
        """Annex B section: "B.1" … "B.4"."""
        return _DIMENSION_CODES[self]

    @property
    def max_score(self) -> int:
        return DIMENSION_MAX[self]


_DIMENSION_CODES = {
    Dimension.SELF_CARE: "B.1",
    Dimension.MOBILITY: "B.2",
    Dimension.MENTAL: "B.3",
    Dimension.PERCEPTION_SOCIAL: "B.4",
}
# REFERENCE §2.1: maxima 32 / 15 / 28 / 15 = 90.  (One implementation shows 精神状态 29; the item
# maxima add up to 28 and only 28 gives a total of 90 — the reference says use 28.)
DIMENSION_MAX: Mapping[Dimension, int] = MappingProxyType(
    {
        Dimension.SELF_CARE: 32,
        Dimension.MOBILITY: 15,
        Dimension.MENTAL: 28,
        Dimension.PERCEPTION_SOCIAL: 15,
    }
)
MAX_TOTAL = 90


# --------------------------------------------------------------------------- items (Annex B)


@dataclass(frozen=True, slots=True)
class Item:
    """One Annex B item: its allowed scores are exactly the keys of ``options``."""

    code: str
    name: str
    dimension: Dimension
    options: Mapping[int, str]  # score → option text, highest (most able) first
    # The standard's explanation printed after the item name ("进食：使用适当的器具…"); a note
    # of the standard (注) follows on a second line starting "注：".  Empty when Annex B has none.
    description: str = ""

    @property
    def allowed(self) -> frozenset[int]:
        return frozenset(self.options)

    @property
    def max_score(self) -> int:
        return max(self.options)


def _opts(*texts: str) -> Mapping[int, str]:
    """Options listed from the highest score down to 0."""
    top = len(texts) - 1
    return MappingProxyType({top - i: text for i, text in enumerate(texts)})


# The assistance scale Annex B repeats for B.1.2–B.1.5, B.1.8, B.2.1 and B.2.2 (REFERENCE §2.2
# "S5").  Score 4: sources [A] [B] [C] (module docstring) all read "独立完成，不需要协助"; [B] has
# "不需要他人协助" in B.1.8/B.2.1/B.2.2 only, [D] everywhere — the majority wording is used.
_S5 = _opts(
    "独立完成，不需要协助",
    "在他人指导或提示下完成",
    "需要他人协助，但以自身完成为主",
    "主要依靠他人协助，自身能给予配合",
    "完全依赖他人协助，且不能给予配合",
)

_D = Dimension
# Annex B 老年人能力评估表: 26 items — code, name, dimension, score → option text, description.
# Wording per the sources named in the module docstring; where they differ the comment says which
# reading was taken (two agreeing sources win).  Punctuation is normalised to full-width Chinese
# (，；：（）), which the sources mix with ASCII.
_ITEM_LIST: tuple[Item, ...] = (
    # B.1 自理能力
    Item(
        "B.1.1",
        "进食",
        _D.SELF_CARE,
        _opts(
            "独立使用器具将食物送进口中并咽下，没有呛咳",
            "在他人指导或提示下完成，或独立使用辅具，没有呛咳",
            # [A] "进食中至少需要少量接触式协助"; [B] [C] without "至少".
            "进食中需要少量接触式协助，偶尔（每月一次及以上）呛咳",
            "在进食中需要大量接触式协助，经常（每周一次及以上）呛咳",
            "完全依赖他人协助进食，或吞咽困难，或留置营养管",
        ),
        description="使用适当的器具将食物送入口中并咽下",
    ),
    # [A] [C] "指洗脸…"; [B] without "指".
    Item(
        "B.1.2", "修饰", _D.SELF_CARE, _S5, description="指洗脸、刷牙、梳头、刮脸、剪指（趾）甲等"
    ),
    Item("B.1.3", "洗澡", _D.SELF_CARE, _S5, description="清洗和擦干身体"),
    # [A] "指穿/脱…", [B] without "指" ([C] lacks B.1.4); "指" as in B.1.2/B.1.5.
    Item(
        "B.1.4",
        "穿/脱上衣",
        _D.SELF_CARE,
        _S5,
        description="指穿/脱上身衣服、系扣、拉拉链等",
    ),
    Item("B.1.5", "穿/脱裤子和鞋袜", _D.SELF_CARE, _S5, description="指穿/脱裤子、鞋袜等"),
    Item(
        "B.1.6",
        "小便控制",
        _D.SELF_CARE,
        _opts(
            "可自行控制排尿，排尿次数、排尿控制均正常",
            "白天可自行控制排尿次数，夜间出现排尿次数增多、排尿控制较差，"
            "或自行使用尿布、尿垫等辅助用物",
            "白天大部分时间可自行控制排尿，偶出现（每天<1次，但每周>1次）尿失禁，"
            "夜间控制排尿较差，或他人少量协助使用尿布、尿垫等辅助用物",
            # [A] [B] "尚非完全失控"; [C] "尚未完全失禁".
            "白天大部分时间不能控制排尿（每天≥1次，但尚非完全失控），夜间出现尿失禁，"
            "或他人大量协助使用尿布、尿垫等辅助用物",
            "小便失禁，完全不能控制排尿，或留置导尿管",
        ),
        description="控制和排出尿液的能力",
    ),
    Item(
        "B.1.7",
        "大便控制",
        _D.SELF_CARE,
        _opts(
            "可正常自行控制大便排出",
            # REFERENCE §2.2 discrepancy "<1/day" vs "<1/week": [B] [C] read "每周<1次" ([D]
            # paraphrases it as "每周少于1次"); only [A] reads "每天<1次", which would overlap
            # option 2 ("每天<1次，但每周>1次").  "每周<1次" is used — still to be checked against
            # the printed standard.
            "有时出现（每周<1次）便秘或大便失禁，或自行使用开塞露、尿垫等辅助用物",
            "经常出现（每天<1次，但每周>1次）便秘或大便失禁，"
            "或他人少量协助使用开塞露、尿垫等辅助用物",
            "大部分时间均出现（每天≥1次）便秘或大便失禁，但尚非完全失控，"
            "或他人大量协助使用开塞露、尿垫等辅助用物",
            "严重便秘或者完全大便失禁，需要依赖他人协助排便或清洁皮肤",
        ),
        description="控制和排出粪便的能力",
    ),
    Item(
        "B.1.8",
        "如厕",
        _D.SELF_CARE,
        _S5,
        description=(
            "上厕所排泄大小便，并清洁身体\n"
            "注：评估中强调排泄前解开裤子、完成排泄后清洁身体、穿上裤子"
        ),
    ),
    # B.2 基础运动能力
    Item("B.2.1", "床上体位转移", _D.MOBILITY, _S5, description="卧床翻身及坐起躺下"),
    Item(
        "B.2.2",
        "床椅转移",
        _D.MOBILITY,
        _S5,
        description="从坐位到站位，再从站位到坐位的转换过程",
    ),
    Item(
        "B.2.3",
        "平地行走",
        _D.MOBILITY,
        _opts(
            # [B] [C] "步行"/"摔倒风险"; [A] "行走" (4, 3) and "跌倒风险" (3).
            "独立平地步行50m左右，不需要协助，无摔倒风险",
            "能平地步行50m左右，存在摔倒风险，需要他人监护或指导，或使用拐杖、助行器等辅助工具",
            "在步行时需要他人少量扶持协助",
            "在步行时需要他人大量扶持协助",
            "完全不能步行",
        ),
        # [A] [B] "双脚交互"; [C] "双脚交替".  The note: [A] "包括他人辅助和使用辅具的步行",
        # [C] "包括他人辅助或者辅助工具的步行", [B] has none — [A] taken ([D] paraphrases
        # "和使用辅助具", closer to [A]).
        description=("双脚交互的方式在地面行动，总是一只脚在前\n注：包括他人辅助和使用辅具的步行"),
    ),
    Item(
        "B.2.4",
        "上下楼梯",
        _D.MOBILITY,
        _opts(  # max 3
            "可独立上下楼梯（连续上下10个～15个台阶），不需要协助",
            "在他人指导或提示下完成",
            "需要他人协助，但以自身完成为主",
            "主要依靠他人协助，自身能给予配合；或者完全依赖他人协助，且不能给予配合",
        ),
        description="双脚交替完成楼梯台阶连续的上下移动",
    ),
    # B.3 精神状态
    Item(
        "B.3.1",
        "时间定向",
        _D.MENTAL,
        _opts(
            # [A] [B] "（年、月）" / "年、月、日"; [C] "（年、月、日、时）" throughout.
            "时间观念（年、月）清楚，日期（或星期几）可相差一天",
            "时间观念有些下降，年、月、日（或星期几）不能全部分清（相差两天或以上）",
            "时间观念较差，年、月、日不清楚，可知上半年或下半年或季节",
            "时间观念很差，年、月、日不清楚，可知上午、下午或白天、夜间",
            "无时间观念",
        ),
        description="知道并确认时间的能力",
    ),
    Item(
        "B.3.2",
        "空间定向",
        _D.MENTAL,
        _opts(
            "能在日常生活范围内单独外出，如在日常居住小区内独自外出购物等",
            "不能单独外出，但能准确知道自己日常生活所在地的地址信息",
            "不能单独外出，但知道较多有关自己日常生活的地址信息",
            "不能单独外出，但知道较少自己居住或生活所在地的地址信息",
            "不能单独外出，无空间观念",
        ),
        description="知道并确认空间的能力",
    ),
    Item(
        "B.3.3",
        "人物定向",
        _D.MENTAL,
        _opts(
            "认识长期共同一起生活的人，能称呼并知道关系",
            "能认识大部分共同生活居住的人，能称呼或知道关系",
            "能认识部分日常同住的亲人或照护者等，能称呼或知道关系等",
            "只认识自己或极少数日常同住的亲人或照护者等",
            "不认识任何人（包括自己）",
        ),
        description="知道并确认人物的能力",
    ),
    Item(
        "B.3.4",
        "记忆",
        _D.MENTAL,
        _opts(
            # [B] [C] "总是能保持"; [A] "总能保持".
            "总是能保持与社会、年龄所适应的记忆能力，能完整的回忆",
            # [B] [C] "即时信息，3个词语…0个～1个"; [A] "即时信息3个词语…0~1个".
            "出现轻度的记忆紊乱或回忆不能（不能回忆即时信息，3个词语经过5分钟后仅能回忆0个～1个）",
            "出现中度的记忆紊乱或回忆不能（不能回忆近期记忆，不记得上一顿饭吃了什么）",
            # "重度的" [B] [C] ([A] "重度"); "自己老朋友" [A] [C] ([B] "自已的老朋友").
            "出现重度的记忆紊乱或回忆不能（不能回忆远期记忆，不记得自己老朋友）",
            "记忆完全紊乱或者完全不能对既往事物进行正确的回忆",
        ),
        # [B] [C] "短时、近期"; [A] "短期近期".
        description="短时、近期和远期记忆能力",
    ),
    Item(
        "B.3.5",
        "理解能力",
        _D.MENTAL,
        _opts(
            "能正常理解他人的话",
            "能理解他人的话，但需要增加时间",
            # [B] [C] "需频繁"; [A] "需要频繁".
            "理解有困难，需频繁重复或简化口头表达",
            "理解有严重困难，需要大量他人帮助",
            "完全不能理解他人的话",
        ),
        # [B] [C] "平时使用助听设备"; [A] "平时使用的助听设备".
        description="理解语言信息和非语言信息的能力（可借助平时使用助听设备等），即理解别人的话",
    ),
    Item(
        "B.3.6",
        "表达能力",
        _D.MENTAL,
        _opts(
            "能正常表达自己的想法",
            "能表达自己的需要，但需要增加时间",
            "表达需要有困难，需频繁重复或简化口头表达",
            "表达有严重困难，需要大量他人帮助",
            "完全不能表达需要",
        ),
        description="表达信息能力，包括口头的和非口头的，即表达自己的想法",
    ),
    Item(
        "B.3.7",
        "攻击行为",
        _D.MENTAL,
        _opts(  # max 1
            "未出现",
            "近一个月内出现过攻击行为",
        ),
        # Only [C] adds "注：长期的行为状态" — left out for want of a second source.
        description="身体攻击行为（如打/踢/推/咬/抓/摔东西）和语言攻击行为（如骂人、语言威胁、尖叫）",
    ),
    Item(
        "B.3.8",
        "抑郁症状",
        _D.MENTAL,
        _opts(  # max 1
            "未出现",
            "近一个月内出现过负性情绪",
        ),
        # Note "长期的负性情绪": [A] [C] ([B] has none).
        description=(
            "存在情绪低落、兴趣减退、活力减退等症状，甚至出现妄想、幻觉、自杀念头或自杀行为\n"
            "注：长期的负性情绪"
        ),
    ),
    Item(
        "B.3.9",
        "意识水平",
        _D.MENTAL,
        _opts(  # max 2
            # [B] [C] "正确反应"; [A] "正确反映".
            "神志清醒，对周围环境能做出正确反应",
            # "注意力涣散" in [A] [B], missing in [C].
            "嗜睡，表现为睡眠状态过度延长。当呼唤或推动老年人的肢体时可唤醒，"
            "并能进行正确的交谈或执行指令，停止刺激后又继续入睡；意识模糊，注意力涣散，"
            "对外界刺激不能清晰的认识，空间和时间定向力障碍，理解力迟钝，记忆力模糊和不连贯",
            # [B] [C] "或者昏迷：意识丧失"; [A] "或者昏迷；意识丧失".
            "昏睡，一般的外界刺激不能使其觉醒，给予较强烈的刺激时可有短时的意识清醒，"
            "醒后可简短回答提问，当刺激减弱后又很快进入睡眠状态；或者昏迷：意识丧失，"
            "随意运动丧失，对一般刺激全无反应",
        ),
        # [A] [C] also print "注：处于昏迷状态者，直接评定为重度失能".  It contradicts C.4 (coma →
        # 能力完全丧失（完全失能）, REFERENCE §2.4, which the scoring below follows), so it is not
        # carried into the printed description — to be settled against the printed standard.
        description="机体对自身和周围环境的刺激做出应答反应的能力程度，包括清醒和持续的觉醒状态",
    ),
    # B.4 感知觉与社会参与
    Item(
        "B.4.1",
        "视力",
        _D.PERCEPTION_SOCIAL,
        _opts(  # max 2
            "视力正常",
            # [B] "看不清报纸大标题" ([C] agrees, though garbled elsewhere); [A] "看不清楚".
            "能看清楚大字体，但看不清书报上的标准字体；视力有限，看不清报纸大标题，但能辨认物体",
            "只能看到光、颜色和形状；完全失明",
        ),
        # "光线并感受" [A] [C] ([B] "光线，并"); "大小、形状" [B] [C] ([A] "大小，形状").
        description="感受存在的光线并感受物体的大小、形状的能力。在个体的最好矫正视力下进行评估",
    ),
    Item(
        "B.4.2",
        "听力",
        _D.PERCEPTION_SOCIAL,
        _opts(  # max 2
            "听力正常",
            # "轻声说话" [A] [B] ([C] "近距离说话"); "2米"/"需在" [B] [C] ([A] "两米"/"需要在").
            "在轻声说话或说话距离超过2米时听不清；正常交流有些困难，需在安静的环境或大声说话才能听到",
            "讲话者大声说话或说话很慢，才能部分听见；完全失聪",
        ),
        description="能辨别声音的方位、音调、音量和音质的有关能力（可借助平时使用助听设备等）",
    ),
    Item(
        "B.4.3",
        "执行日常事务",
        _D.PERCEPTION_SOCIAL,
        _opts(
            "能完全独立计划、安排和完成日常事务，无需协助",
            # [B] [C] "…日常事务时"; [A] "…日常事务是" (a typo).
            "在计划、安排和完成日常事务时需要他人监护或指导",
            "在计划、安排和完成日常事务时需要少量协助",
            "在计划、安排和完成日常事务时需要大量协助",
            "完全依赖他人进行日常事务",
        ),
        description="计划、安排并完成日常事务，包括但不限于洗衣服、小金额购物、服药管理",
    ),
    Item(
        "B.4.4",
        "使用交通工具外出",
        _D.PERCEPTION_SOCIAL,
        _opts(  # max 3
            "能自己骑车或搭乘公共交通工具外出",
            # [B] (and [D]) "其他公共交通工具"; [A] "其他交通工具"; [C] garbled.
            "能自己搭乘出租车，但不会搭乘其他公共交通工具外出",
            # [A] [B]; [C] reads "需有人协助搭乘出租车或私家车外出".
            "当有人协助或陪伴，可搭乘公共交通工具外出",
            "只能在他人协助下搭乘出租车或私家车外出；完全不能出门，或者外出完全需要协助",
        ),
    ),
    Item(
        "B.4.5",
        "社会交往能力",
        _D.PERCEPTION_SOCIAL,
        _opts(
            "参与社会，在社会环境有一定的适应能力，待人接物恰当",
            # "初见面时" [B] [C] ([A] "初次见面时").
            "能适应单纯环境，主动接触他人，初见面时难让人发现智力问题，不能理解隐喻语",
            # "不会主动待他人" [A] [B] ([C] "不会主动待人", the MZ/T 039-2013 wording).
            "脱离社会，可被动接触，不会主动待他人，谈话中很多不适词句，容易上当受骗",
            "勉强可与他人接触，谈吐内容不清楚，表情不恰当",
            "不能与人交往",
        ),
    ),
)
del _D

ITEMS: Mapping[str, Item] = MappingProxyType({item.code: item for item in _ITEM_LIST})


def _check_tables() -> None:
    # Import-time guard: the data must add up as REFERENCE §2.1 states (26 items, total 90).
    if len(ITEMS) != 26:
        raise AssertionError(f"GB/T 42195 needs 26 items, got {len(ITEMS)}")
    for dim in Dimension:
        got = sum(i.max_score for i in _ITEM_LIST if i.dimension is dim)
        if got != DIMENSION_MAX[dim]:
            raise AssertionError(f"{dim}: item maxima add up to {got}, not {DIMENSION_MAX[dim]}")
    for item in _ITEM_LIST:
        if not item.code.startswith(item.dimension.code + "."):
            raise AssertionError(f"{item.code} filed under {item.dimension.code}")
    if sum(DIMENSION_MAX.values()) != MAX_TOTAL:
        raise AssertionError("dimension maxima do not add up to 90")


_check_tables()


# --------------------------------------------------------------------------- levels (C.3)

MAX_LEVEL = 4
# Short names used across the platform; the report (C.3/C.5) prints LEVEL_FULL_NAMES.
LEVEL_NAMES: Mapping[int, str] = MappingProxyType(
    {0: "能力完好", 1: "轻度失能", 2: "中度失能", 3: "重度失能", 4: "完全失能"}
)
# REFERENCE §2.3: names as the standard writes them.
LEVEL_FULL_NAMES: Mapping[int, str] = MappingProxyType(
    {
        0: "能力完好",
        1: "能力轻度受损（轻度失能）",
        2: "能力中度受损（中度失能）",
        3: "能力重度受损（重度失能）",
        4: "能力完全丧失（完全失能）",
    }
)
# REFERENCE §2.3 (C.3): (level, lowest total, highest total), inclusive.
LEVEL_BANDS: tuple[tuple[int, int, int], ...] = (
    (0, 90, 90),
    (1, 66, 89),
    (2, 46, 65),
    (3, 30, 45),
    (4, 0, 29),
)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def initial_level(total: int) -> int:
    """初步等级 for a total score 0–90 (REFERENCE §2.3, C.3)."""
    if not _is_int(total) or not 0 <= total <= MAX_TOTAL:
        raise ValueError(f"总分必须是 0–{MAX_TOTAL} 的整数：{total!r}")
    for level, low, high in LEVEL_BANDS:
        if low <= total <= high:
            return level
    raise AssertionError(f"no band for {total}")  # the bands cover 0–90


# --------------------------------------------------------------------------- change clauses (C.4)


class ChangeClause(StrEnum):
    # REFERENCE §2.4: the three C.4 clauses (能力等级变更依据), in the standard's order.
    COMA = "coma"  # A.5.11 昏迷 → directly 完全失能
    DEMENTIA_OR_MENTAL = "dementia_or_mental"  # A.4.1 痴呆 F00–F03 / 精神和行为障碍 F04–F99 → +1
    RISK_EVENTS = "risk_events"  # A.2.14 ≥2 care-risk events in the last 30 days → +1

    @property
    def label(self) -> str:
        return _CLAUSE_LABELS[self]


_CLAUSE_LABELS = {
    ChangeClause.COMA: "处于昏迷状态者，直接评定为能力完全丧失（完全失能）",
    ChangeClause.DEMENTIA_OR_MENTAL: (
        "确诊为痴呆（F00–F03）或经精神科医师确诊的其他精神和行为障碍（F04–F99），提高一个等级"
    ),
    ChangeClause.RISK_EVENTS: (
        "近30天内发生过2次及以上照护风险事件（跌倒、噎食、自杀/自伤、走失等），提高一个等级"
    ),
}

# REFERENCE §2.4 clause 3: "two or more" events in the last 30 days.
RISK_EVENTS_THRESHOLD = 2
# REFERENCE §2.5 A.2.14: event types; each answered 无/1次/2次/3次及以上 (0–3, 3 = "3 or more").
RISK_EVENT_TYPES: tuple[str, ...] = ("跌倒", "走失", "噎食", "自杀/自伤", "其他")


def risk_event_count(per_type: Mapping[str, int]) -> int:
    """Sum the A.2.14 answers (type → 0, 1, 2 or 3 for "3次及以上") into ``risk_events_30d``.

    Choice: clause 3 counts events of all types together (the reference words it as "two or more
    care-risk events", listing the types as examples), so one fall and one choking make two.
    Types not given count as 无.
    """
    if not isinstance(per_type, Mapping):
        raise ValueError(f"照护风险事件应按类型给出次数：{per_type!r}")
    total = 0
    for kind, count in per_type.items():
        if kind not in RISK_EVENT_TYPES:
            kinds = "、".join(RISK_EVENT_TYPES)
            raise ValueError(f"未知的照护风险事件类型：{kind!r}（应为 {kinds}）")
        if not _is_int(count) or not 0 <= count <= 3:
            raise ValueError(f"照护风险事件“{kind}”的次数应为 0–3（3 表示3次及以上）：{count!r}")
        total += count
    return total


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Assessment:
    """The C section of the report: C.1 dimensions, C.2 total, C.3/C.4/C.5 levels."""

    total: int
    dimensions: dict[str, int] = field(hash=False)  # Chinese dimension name → score, B.1…B.4
    initial_level: int
    final_level: int
    clauses: tuple[ChangeClause, ...]  # C.4 clauses whose condition holds (ticked), in order
    levels_raised: int  # final_level - initial_level
    stack_clauses: bool  # the setting used for clauses 2 and 3
    notes: tuple[str, ...] = ()  # consistency remarks for the assessor (never change the result)
    version: str = VERSION

    @property
    def initial_level_name(self) -> str:
        return LEVEL_NAMES[self.initial_level]

    @property
    def final_level_name(self) -> str:
        return LEVEL_NAMES[self.final_level]

    @property
    def clause_labels(self) -> tuple[str, ...]:
        return tuple(c.label for c in self.clauses)


def _check_answers(answers: Mapping[str, int]) -> None:
    if not isinstance(answers, Mapping):
        raise ValueError(f"评分应为“条目编号 → 分值”的映射：{type(answers).__name__}")
    unknown = [code for code in answers if code not in ITEMS]
    if unknown:
        raise ValueError(f"未知的评估条目：{'、'.join(map(repr, unknown))}")
    missing = [code for code in ITEMS if code not in answers]
    if missing:
        names = "、".join(f"{code} {ITEMS[code].name}" for code in missing)
        raise ValueError(f"缺少评估条目：{names}")
    for code, item in ITEMS.items():
        value = answers[code]
        if not _is_int(value):
            raise ValueError(f"条目 {code} {item.name} 的分值必须是整数：{value!r}")
        if value not in item.options:
            allowed = "、".join(str(s) for s in sorted(item.options))
            raise ValueError(f"条目 {code} {item.name} 的分值 {value} 不在允许范围（{allowed}）")


def _check_flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} 必须是布尔值：{value!r}")
    return value


def score(
    answers: Mapping[str, int],
    *,
    coma: bool,
    dementia_or_mental: bool,
    risk_events_30d: int,
    stack_clauses: bool = False,
) -> Assessment:
    """Score one assessment (REFERENCE §2.2–§2.4).

    ``answers``: every item code "B.1.1" … "B.4.5" → its score (an allowed int).
    ``coma``: A.5.11 昏迷.  ``dementia_or_mental``: A.4.1 lists 痴呆 (F00–F03), or another
    mental/behavioural disorder (F04–F99) diagnosed by a psychiatrist — the caller decides the
    psychiatrist condition.  ``risk_events_30d``: number of care-risk events of any type in the
    last 30 days (A.2.14; see :func:`risk_event_count`).

    Clause 1 (coma) sets the final level to 4 whatever the score.  Clauses 2 and 3 each raise the
    initial level by one; with ``stack_clauses=False`` (default — REFERENCE §2.4, UNCONFIRMED,
    kept a setting) both together raise it by one only.  Never beyond level 4.
    """
    _check_answers(answers)
    _check_flag(coma, "coma（是否昏迷）")
    _check_flag(dementia_or_mental, "dementia_or_mental（是否确诊痴呆或精神和行为障碍）")
    _check_flag(stack_clauses, "stack_clauses")
    if not _is_int(risk_events_30d) or risk_events_30d < 0:
        raise ValueError(f"近30天照护风险事件次数必须是非负整数：{risk_events_30d!r}")

    dims = {dim.value: 0 for dim in Dimension}
    for code, item in ITEMS.items():
        dims[item.dimension.value] += answers[code]
    total = sum(dims.values())
    initial = initial_level(total)

    clauses = tuple(
        clause
        for clause, holds in (
            (ChangeClause.COMA, coma),
            (ChangeClause.DEMENTIA_OR_MENTAL, dementia_or_mental),
            (ChangeClause.RISK_EVENTS, risk_events_30d >= RISK_EVENTS_THRESHOLD),
        )
        if holds
    )
    if coma:
        final = MAX_LEVEL
    else:
        raises = len(clauses) if stack_clauses else min(len(clauses), 1)
        final = min(initial + raises, MAX_LEVEL)

    notes: list[str] = []
    if coma and answers["B.3.9"] != 0:
        notes.append("记录为昏迷，但 B.3.9 意识水平评分不为 0（昏迷应评 0 分），请核对")
    return Assessment(
        total=total,
        dimensions=dims,
        initial_level=initial,
        final_level=final,
        clauses=clauses,
        levels_raised=final - initial,
        stack_clauses=stack_clauses,
        notes=tuple(notes),
    )
