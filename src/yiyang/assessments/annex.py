"""GB/T 42195-2022 Annex A (老年人能力评估基本信息表) as data, and its validation (pure).

What the person is (name, sex, birth date, ID number, ethnicity) is read from the resident's
record and never copied here; Annex A keeps what the assessor asks or observes on the day.  The
fields and their choices are REFERENCE §2.5; A.3's contact phone is not kept here (contacts and
their encrypted phones live in the health profile).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .instruments import gbt42195

__all__ = ["FIELDS", "SECTIONS", "Field", "clean", "clause_inputs"]


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    code: str  # A.x.y
    label: str
    kind: str  # "choice" | "multi" | "bool" | "int" | "text" | "decimal"
    choices: tuple[tuple[str, str], ...] = ()
    section: str = ""
    low: float | None = None
    high: float | None = None
    max_length: int = 200


def _c(*labels: str) -> tuple[tuple[str, str], ...]:
    """Choices whose stored value is their label: the form's own wording, stable and readable."""
    return tuple((label, label) for label in labels)


_A2 = "A.2 被评估者基本信息"
_A3 = "A.3 信息提供者"
_A4 = "A.4 疾病诊断和用药"
_A5 = "A.5 健康相关问题"

# REFERENCE §2.5 A.4.1: diagnoses with their ICD-10 ranges; the value is the label.
DIAGNOSES: tuple[tuple[str, str], ...] = (
    ("高血压", "I10–I15"),
    ("冠心病", "I25"),
    ("糖尿病", "E10–E14"),
    ("肺炎", "J12–J18"),
    ("慢性阻塞性肺疾病", "J44"),
    ("脑出血", "I60–I62"),
    ("脑梗塞", "I63"),
    ("尿路感染（30天内）", ""),
    ("帕金森综合征", "G20–G22"),
    ("慢性肾衰竭", "N18–N19"),
    ("肝硬化", "K74"),
    ("消化性溃疡", "K20–K31"),
    ("肿瘤", "C00–D48"),
    ("截肢（6个月内）", ""),
    ("骨折（3个月内）", "M84"),
    ("癫痫", "G40"),
    ("甲状腺功能减退症", "E01–E03"),
    ("白内障", "H25–H26"),
    ("青光眼", "H40–H42"),
    ("骨质疏松", "M80–M82"),
    ("痴呆", "F00–F03"),
    ("其他精神和行为障碍", "F04–F99"),
    ("其他", ""),
)
DEMENTIA = "痴呆"
OTHER_MENTAL = "其他精神和行为障碍"

_RISK_COUNTS = (("0", "无"), ("1", "1次"), ("2", "2次"), ("3", "3次及以上"))

FIELDS: tuple[Field, ...] = (
    Field("height_cm", "A.2.4", "身高（cm）", "int", section=_A2, low=100, high=220),
    Field("weight_kg", "A.2.5", "体重（kg）", "decimal", section=_A2, low=20, high=200),
    Field("religion", "A.2.7", "宗教信仰", "choice", _c("无", "有"), _A2),
    Field("education", "A.2.9", "文化程度", "choice",
          _c("文盲", "小学", "初中", "高中/技校/中专", "大学专科及以上", "不详"), _A2),
    Field("living", "A.2.10", "居住情况", "multi",
          _c("独居", "与配偶居住", "与子女居住", "与父母居住", "与兄弟姐妹居住",
             "与其他亲属居住", "与非亲属关系的人居住", "养老机构"), _A2),
    Field("marital", "A.2.11", "婚姻状况", "choice",
          _c("未婚", "已婚", "丧偶", "离婚", "未说明"), _A2),
    Field("payment", "A.2.12", "医疗费用支付方式", "multi",
          _c("城镇职工基本医疗保险", "城乡居民基本医疗保险", "自费", "公务员补助",
             "企业补充保险", "公费医疗及医疗照顾对象", "医疗救助", "大病保险", "长期护理保险",
             "其他"), _A2),
    Field("income", "A.2.13", "经济来源", "multi",
          _c("退休金/养老金", "子女补贴", "亲友资助", "国家普惠型补贴", "个人储蓄", "其他补贴"),
          _A2),
    *(
        Field(f"risk_{kind}", "A.2.14", f"近30天{kind}", "choice", _RISK_COUNTS, _A2)
        for kind in gbt42195.RISK_EVENT_TYPES
    ),
    Field("informant_name", "A.3.1", "信息提供者姓名", "text", section=_A3, max_length=50),
    Field("informant_relation", "A.3.2", "信息提供者与老人的关系", "choice",
          _c("本人", "配偶", "子女", "其他亲属", "雇佣照顾者", "村（居）委会工作人员", "其他"),
          _A3),
    Field("diagnoses", "A.4.1", "疾病诊断", "multi",
          tuple((name, f"{name}（{icd}）" if icd else name) for name, icd in DIAGNOSES), _A4),
    Field("psychiatrist_confirmed", "A.4.1", "其他精神和行为障碍经精神科医师确诊", "bool",
          section=_A4),
    Field("diagnoses_other", "A.4.1", "其他疾病诊断", "text", section=_A4),
    Field("medicines", "A.4.2", "用药情况（药名、用法、剂量、频率）", "text", section=_A4,
          max_length=1000),
    Field("pressure_injury", "A.5.1", "压力性损伤", "choice",
          _c("无", "Ⅰ期", "Ⅱ期", "Ⅲ期", "Ⅳ期", "不可分期"), _A5),
    Field("joint_motion", "A.5.2", "关节活动度", "choice",
          _c("无，没有影响日常生活功能", "是，影响日常生活功能", "无法判断"), _A5),
    Field("joint_site", "A.5.2", "关节活动受限部位", "text", section=_A5, max_length=100),
    Field("wounds", "A.5.3", "伤口情况", "multi",
          _c("无", "擦伤", "烧烫伤", "术后伤口", "糖尿病足溃疡", "血管性溃疡", "其他"), _A5),
    Field("special_care", "A.5.4", "特殊护理情况", "multi",
          _c("无", "胃管", "尿管", "气管切开", "胃/肠/膀胱造瘘", "无创呼吸机", "透析", "其他"),
          _A5),
    Field("pain", "A.5.5", "疼痛感", "choice", _c("无疼痛", "轻度疼痛", "中度疼痛",
                                                  "重度疼痛", "不知道或无法判断"), _A5),
    Field("teeth", "A.5.6", "牙齿缺失情况", "multi",
          _c("无缺损", "牙体缺损（如龋齿、楔状缺损）", "牙列缺损", "牙列缺失"), _A5),
    Field("dentures", "A.5.7", "义齿佩戴情况", "multi",
          _c("无义齿", "固定义齿", "可摘局部义齿", "可摘全/半口义齿"), _A5),
    Field("swallowing", "A.5.8", "吞咽困难的情形和症状", "multi",
          _c("无", "抱怨吞咽困难或吞咽时会疼痛", "吃东西或喝水时出现咳嗽或呛咳",
             "用餐后嘴中仍含着食物或留有残余食物", "当喝或吃流质或固体食物时，食物会从嘴角边流失",
             "有流口水的情况"), _A5),
    Field("malnutrition", "A.5.9", "营养不良：体质指数（BMI）低于正常值", "bool", section=_A5),
    Field("airway", "A.5.10", "清理呼吸道无效", "bool", section=_A5),
    Field("coma", "A.5.11", "昏迷", "bool", section=_A5),
    Field("other_problems", "A.5.12", "其他健康相关问题", "text", section=_A5),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
SECTIONS: tuple[str, ...] = (_A2, _A3, _A4, _A5)


def _err(field: Field, why: str) -> ValueError:
    return ValueError(f"{field.code} {field.label}：{why}")


def _clean_one(field: Field, value: Any) -> Any:
    allowed = {v for v, _ in field.choices}
    if field.kind == "bool":
        if isinstance(value, bool):
            return value
        if value in ("true", "on", "1", "是"):
            return True
        if value in ("false", "", "0", "否", None):
            return False
        raise _err(field, f"应为“是”或“否”：{value!r}")
    if field.kind == "choice":
        if value not in allowed:
            raise _err(field, f"选项无效：{value!r}")
        return value
    if field.kind == "multi":
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise _err(field, "应为选项列表")
        bad = [v for v in value if v not in allowed]
        if bad:
            raise _err(field, f"选项无效：{'、'.join(map(str, bad))}")
        chosen = [v for v, _ in field.choices if v in value]  # form order, no duplicates
        exclusive = {"无", "无缺损", "无义齿"} & set(chosen)
        if exclusive and len(chosen) > 1:
            raise _err(field, f"选择“{next(iter(exclusive))}”时不能再选其他项")
        return chosen
    if field.kind in ("int", "decimal"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise _err(field, f"应为数字：{value!r}") from None
        if field.kind == "int" and not number.is_integer():
            raise _err(field, "应为整数")
        if field.low is not None and field.high is not None and not (
            field.low <= number <= field.high
        ):
            raise _err(field, f"应在 {field.low:g}–{field.high:g} 之间")
        return int(number) if field.kind == "int" else round(number, 1)
    text = str(value).strip()
    if len(text) > field.max_length:
        raise _err(field, f"不能超过 {field.max_length} 字")
    return text


def clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a partial or full Annex A; unknown keys and bad values raise ValueError.

    Empty values (None, "", []) drop the key, so a draft can be saved half-filled.
    """
    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        field = FIELD_BY_KEY.get(key)
        if field is None:
            raise ValueError(f"未知的基本信息项：{key!r}")
        if value is None or value == "" or value == [] and field.kind == "multi":
            continue
        cleaned[key] = _clean_one(field, value)
    if OTHER_MENTAL not in cleaned.get("diagnoses", []) and cleaned.get("psychiatrist_confirmed"):
        cleaned.pop("psychiatrist_confirmed")  # meaningless without the diagnosis
    return cleaned


# Annex A items the C.4 clauses read; finalising needs them answered.
REQUIRED_FOR_REPORT: tuple[str, ...] = (
    *(f"risk_{kind}" for kind in gbt42195.RISK_EVENT_TYPES),
    "informant_relation",
)


def missing(annex: Mapping[str, Any]) -> list[Field]:
    return [FIELD_BY_KEY[k] for k in REQUIRED_FOR_REPORT if k not in annex]


def clause_inputs(annex: Mapping[str, Any]) -> dict[str, Any]:
    """The three C.4 inputs (REFERENCE §2.4) from Annex A: A.5.11, A.4.1 and A.2.14.

    A dementia diagnosis counts as recorded; another mental or behavioural disorder counts only
    when a psychiatrist diagnosed it (clause 2's wording).
    """
    diagnoses = set(annex.get("diagnoses", []))
    dementia_or_mental = DEMENTIA in diagnoses or (
        OTHER_MENTAL in diagnoses and bool(annex.get("psychiatrist_confirmed"))
    )
    events = {
        kind: int(annex.get(f"risk_{kind}", "0")) for kind in gbt42195.RISK_EVENT_TYPES
    }
    return {
        "coma": bool(annex.get("coma", False)),
        "dementia_or_mental": dementia_or_mental,
        "risk_events_30d": gbt42195.risk_event_count(events),
    }
