"""Agreement vocabularies as data (pure Python, no Django): REFERENCE §3.2–§3.4, seed 003.

* The 17-item service catalogue: 浙卫发〔2022〕11号 附件《医疗卫生机构向签约养老服务机构提供协议
  医疗卫生服务项目（推荐）》 (REFERENCE §3.4).  ``content`` is a close summary of the annex's
  服务内容; ``note`` is its 说明 column word for word.
* The 9 cooperation modes of seed 003 §二 (REFERENCE §3.3).
* The fee factors of seed 003 §三 (REFERENCE §3.2) and the clauses a written agreement states.
* The "typical focus" per type of medical institution (seed 003 §二): **advice only**.  The seed
  says institutions choose items "结合实际和自身服务能力，有所侧重", so nothing here refuses an
  item; :func:`provider_advice` only returns hints for the form.

Medical-institution type codes and grades mirror ``yiyang.orgs.models.MedicalInstitution``
(``Type`` / ``Grade``); this module does not import it so that it stays free of Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "AGREEMENT_CLAUSES",
    "CATALOGUE",
    "CATALOGUE_VERSION",
    "FEE_FACTOR_LABELS",
    "FEE_MEMO_ACCOUNT_NOTE",
    "ITEM_NUMBERS",
    "MEDICAL_TYPES",
    "MODES",
    "CatalogueItem",
    "CooperationMode",
    "FeeFactor",
    "ModeInfo",
    "Provider",
    "check_fee_factors",
    "check_items",
    "check_modes",
    "item",
    "mode",
    "provider_advice",
    "typical_items",
]

# Bump the suffix when the data below changes; a province replacing the list uses its own prefix.
CATALOGUE_VERSION = "zhejiang-2022-11@1"


# ----------------------------------------------------------------------------- catalogue


class Provider(StrEnum):
    """Who may provide an item: the annex's 说明 column, in five kinds."""

    BASIC_PRIMARY = "basic_primary"  # items 1–4: 基层医疗卫生机构基本项目
    BASIC = "basic"  # item 5: 基本项目
    IF_CAPABLE = "if_capable"  # 有条件的医疗卫生机构开展
    TCM_QUALIFIED = "tcm_qualified"  # item 8: 有中医药服务资质和能力的医疗卫生机构开展
    HOSPITAL_GRADE_II = "hospital_grade_ii"  # item 12: 二级以上医疗机构 / 有条件的医院开展

    @property
    def label(self) -> str:
        return _PROVIDER_LABELS[self]


_PROVIDER_LABELS: Mapping[Provider, str] = MappingProxyType(
    {
        Provider.BASIC_PRIMARY: "基层医疗卫生机构基本项目",
        Provider.BASIC: "基本项目",
        Provider.IF_CAPABLE: "有条件的医疗卫生机构开展",
        Provider.TCM_QUALIFIED: "有中医药服务资质和能力的医疗卫生机构开展",
        Provider.HOSPITAL_GRADE_II: "二级及以上医院开展",
    }
)


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    number: int
    category: str  # the annex's 项目 column
    content: str
    provider: Provider
    note: str  # the annex's 说明 column, verbatim
    frequency: str | None = None  # a fixed frequency the annex states


_PUBLIC_HEALTH = "基本公共卫生服务项目"
_PRIMARY_NOTE = "基层医疗卫生机构基本项目，其中，健康体检 1 次/年"
_IF_CAPABLE = "有条件的医疗卫生机构开展"

CATALOGUE: tuple[CatalogueItem, ...] = (
    CatalogueItem(
        1,
        _PUBLIC_HEALTH,
        "健康教育：定期或不定期开展健康教育宣传、专题健康咨询和健康讲座；提供疾病预防、膳食营养、"
        "心理健康及中医药养生保健等指导，指导健康生活方式；对存在危险因素的老年人进行针对性健康教育"
        "和危险因素干预",
        Provider.BASIC_PRIMARY,
        _PRIMARY_NOTE,
    ),
    CatalogueItem(
        2,
        _PUBLIC_HEALTH,
        "建立《居民健康档案》；为符合条件的 65 岁及以上老年人免费提供健康体检和健康管理服务；开展"
        "中医药健康管理（中医体质辨识、中医药保健指导）；对已确诊的原发性高血压和 2 型糖尿病等患者"
        "开展慢性病患者健康管理；优先列入家庭医生签约服务范围",
        Provider.BASIC_PRIMARY,
        _PRIMARY_NOTE,
        frequency="健康体检 1 次/年",
    ),
    CatalogueItem(
        3,
        _PUBLIC_HEALTH,
        "提供疫苗接种健康指导，根据国家和地方免疫规划，引导符合条件的老年人到辖区预防接种门诊接种"
        "免疫规划疫苗",
        Provider.BASIC_PRIMARY,
        _PRIMARY_NOTE,
    ),
    CatalogueItem(
        4,
        _PUBLIC_HEALTH,
        "为 65 岁及以上老年人提供老年健康和医养结合服务（血压测量、末梢血糖检测、康复指导、护理技能"
        "指导、保健咨询、营养改善指导等），对失能老年人进行健康评估及健康服务（浙江省新划入基本公共"
        "卫生服务项目）",
        Provider.BASIC_PRIMARY,
        _PRIMARY_NOTE,
    ),
    CatalogueItem(
        5,
        "疾病诊疗服务",
        "安排执业医师提供常见病、多发病等疾病的诊疗服务；为符合条件的慢性病老年患者提供长期处方服务",
        Provider.BASIC,
        "基本项目",
    ),
    CatalogueItem(
        6,
        "医疗康复服务",
        "安排专业康复医师为需要康复的老年人提供专业医疗康复服务和康复技能指导",
        Provider.IF_CAPABLE,
        _IF_CAPABLE,
    ),
    CatalogueItem(
        7,
        "医疗护理服务",
        "提供管路护理、压疮管理和其他专业的医疗护理服务；开展老年护理需求评估，并根据评估结果提供"
        "针对性的医疗护理服务",
        Provider.IF_CAPABLE,
        _IF_CAPABLE,
    ),
    CatalogueItem(
        8,
        "中医药服务",
        "提供中医诊疗、中医康复、中医健康状态辨识与评估、咨询指导、健康管理等服务；可为工作人员提供"
        "中医药技能指导，推广推拿、贴敷、刮痧、拔罐、中医养生操等中医保健技术",
        Provider.TCM_QUALIFIED,
        "有中医药服务资质和能力的医疗卫生机构开展",
    ),
    CatalogueItem(
        9,
        "精神卫生服务",
        "安排精神卫生专业人员提供精神卫生或心理健康服务：疾病诊疗、情绪调节、心理支持、危机干预、"
        "交流沟通等个性化服务",
        Provider.IF_CAPABLE,
        _IF_CAPABLE,
    ),
    CatalogueItem(
        10,
        "安宁疗护服务",
        "为生命终末期老年人提供症状控制、舒适照护、心理支持和人文关怀等服务，指导对其家属进行情绪"
        "疏导、哀伤辅导等心理关怀服务",
        Provider.IF_CAPABLE,
        _IF_CAPABLE,
    ),
    CatalogueItem(
        11,
        "家庭病床服务",
        "在辖区卫生健康行政部门指导下设立家庭病床，为诊断明确、病情稳定、符合建床条件的老年人提供"
        "查床、护理、会诊与转诊服务",
        Provider.IF_CAPABLE,
        _IF_CAPABLE,
    ),
    CatalogueItem(
        12,
        "急诊急救绿色通道服务",
        "二级以上医疗机构提供急诊急救绿色通道，重点为急危重症老年患者服务，必要时转运至本院或上级"
        "医院紧急救治",
        Provider.HOSPITAL_GRADE_II,
        "有条件的医院开展",
    ),
    CatalogueItem(
        13,
        "双向转诊服务",
        "与有条件的养老机构内设医疗卫生机构建立双向转诊机制，严格按照医疗机构出入院标准和双向转诊"
        "指征转诊，提供连续、全流程的医疗卫生服务",
        Provider.IF_CAPABLE,
        _IF_CAPABLE,
    ),
    CatalogueItem(
        14,
        "药事管理指导",
        "提供药事管理指导（日常摆药、储存、质量管理等），为入住老年人提供合理用药指导",
        Provider.IF_CAPABLE,
        _IF_CAPABLE,
    ),
    CatalogueItem(
        15,
        "传染病防控和院内感染风险防控指导",
        "指导执行相关管理制度和操作规范，协助规范处置内设医疗机构医疗废弃物；指导机构内感染预防与"
        "控制，做好传染病防控、疫情监测信息报告等工作",
        Provider.IF_CAPABLE,
        _IF_CAPABLE,
    ),
    CatalogueItem(
        16,
        "专业培训",
        "定期组织内设医疗卫生机构医务人员参加继续医学教育；有能力和条件的，对工作人员开展应急救护"
        "等专项培训",
        Provider.IF_CAPABLE,
        _IF_CAPABLE,
    ),
    CatalogueItem(
        17,
        "远程医疗服务",
        "签约双方具备相应条件的，面向养老服务机构内设医疗卫生机构开展远程医疗服务",
        Provider.IF_CAPABLE,
        _IF_CAPABLE,
    ),
)

_BY_NUMBER: Mapping[int, CatalogueItem] = MappingProxyType({i.number: i for i in CATALOGUE})
ITEM_NUMBERS: frozenset[int] = frozenset(_BY_NUMBER)


def item(number: int) -> CatalogueItem:
    """The catalogue item ``number`` (1–17); ``ValueError`` if there is none."""
    return _BY_NUMBER[check_items([number])[0]]


def check_items(numbers: Iterable[object]) -> tuple[int, ...]:
    """The chosen item numbers, sorted; refuses none, unknown numbers and repeats."""
    chosen: list[int] = []
    for n in numbers:
        if isinstance(n, bool) or not isinstance(n, int):
            raise ValueError(f"服务项目编号必须是整数：{n!r}")
        if n not in _BY_NUMBER:
            raise ValueError(f"服务项目目录中没有第 {n} 项（应为 1–{len(CATALOGUE)}）")
        if n in chosen:
            raise ValueError(f"服务项目第 {n} 项重复")
        chosen.append(n)
    if not chosen:
        raise ValueError("协议至少应选择一项服务项目")
    return tuple(sorted(chosen))


# ----------------------------------------------------------------------------- modes


class CooperationMode(StrEnum):
    PATROL = "patrol"
    TRUSTEESHIP = "trusteeship"
    STATION = "station"
    RESIDENT_STAFF = "resident_staff"
    MULTI_SITE = "multi_site"
    REFERRAL = "referral"
    TELEMED = "telemed"
    GREEN_CHANNEL = "green_channel"
    AFTERCARE = "aftercare"

    @property
    def label(self) -> str:
        return MODES[self].label


@dataclass(frozen=True, slots=True)
class ModeInfo:
    code: CooperationMode
    label: str
    description: str
    # Seed 003 §二 ties these to the home's internal medical unit (内设医疗机构).
    needs_home_medical_unit: bool = False
    medical_types: frozenset[str] | None = None  # None: any type of medical institution
    min_grade: int = 0  # 2 = 二级及以上
    item: int | None = None  # the catalogue item that describes the same service


_M = CooperationMode
MODES: Mapping[CooperationMode, ModeInfo] = MappingProxyType(
    {
        _M.PATROL: ModeInfo(
            _M.PATROL,
            "巡诊",
            "建立巡诊医疗服务制度，组建融合型医护团队，按协议确定的周期定时巡诊",
        ),
        _M.TRUSTEESHIP: ModeInfo(
            _M.TRUSTEESHIP,
            "托管",
            "医疗卫生机构托管养老服务机构的医疗卫生服务",
        ),
        _M.STATION: ModeInfo(
            _M.STATION,
            "设置医疗服务站点",
            "在养老服务机构设置医疗服务站点",
        ),
        _M.RESIDENT_STAFF: ModeInfo(
            _M.RESIDENT_STAFF,
            "长期派驻医务人员",
            "向养老服务机构长期派驻医务人员",
        ),
        _M.MULTI_SITE: ModeInfo(
            _M.MULTI_SITE,
            "多点执业",
            "支持医护人员到养老服务机构内设的医疗机构多点执业",
            needs_home_medical_unit=True,
        ),
        _M.REFERRAL: ModeInfo(
            _M.REFERRAL,
            "双向转诊",
            "与具备条件的养老机构内设医疗卫生机构开展双向转诊",
            needs_home_medical_unit=True,
            item=13,
        ),
        _M.TELEMED: ModeInfo(
            _M.TELEMED,
            "远程医疗",
            "面向养老机构内设医疗卫生机构开展远程医疗服务",
            needs_home_medical_unit=True,
            item=17,
        ),
        _M.GREEN_CHANNEL: ModeInfo(
            _M.GREEN_CHANNEL,
            "急诊急救绿色通道",
            "二级及以上医院为急危重症老年患者提供急诊急救绿色通道，必要时转运救治",
            min_grade=2,
            item=12,
        ),
        _M.AFTERCARE: ModeInfo(
            _M.AFTERCARE,
            "后期康复护理场所",
            "综合医院、中医医院将具备条件的养老服务机构内设医疗机构作为收治老年人的后期康复护理场所",
            needs_home_medical_unit=True,
            medical_types=frozenset({"general", "tcm"}),
        ),
    }
)


def mode(code: object) -> ModeInfo:
    return MODES[check_modes([code])[0]]


def check_modes(codes: Iterable[object]) -> tuple[CooperationMode, ...]:
    """The chosen modes in catalogue order; refuses none, unknown codes and repeats."""
    chosen: list[CooperationMode] = []
    for code in codes:
        if not isinstance(code, str) or code not in MODES:
            options = "、".join(m.value for m in CooperationMode)
            raise ValueError(f"未知的合作方式：{code!r}（应为 {options}）")
        m = CooperationMode(code)
        if m in chosen:
            raise ValueError(f"合作方式“{m.label}”重复")
        chosen.append(m)
    if not chosen:
        raise ValueError("协议至少应选择一种合作方式")
    order = list(CooperationMode)
    return tuple(sorted(chosen, key=order.index))


# ----------------------------------------------------------------------------- fee


class FeeFactor(StrEnum):
    # Seed 003 §三: "根据当地经济发展水平、签约合作养老服务机构规模及入住老年人健康状况、
    # 医疗卫生服务工作量、医疗卫生人员职称及机构间距离、养老服务机构提供设施设备支持等因素，
    # 协商确定服务合作经费".
    ECONOMY = "economy"
    HOME_SIZE = "home_size"
    RESIDENTS_HEALTH = "residents_health"
    WORKLOAD = "workload"
    STAFF_TITLES = "staff_titles"
    DISTANCE = "distance"
    EQUIPMENT = "equipment"
    OTHER = "other"  # the list ends with "等因素"

    @property
    def label(self) -> str:
        return FEE_FACTOR_LABELS[self]


FEE_FACTOR_LABELS: Mapping[FeeFactor, str] = MappingProxyType(
    {
        FeeFactor.ECONOMY: "当地经济发展水平",
        FeeFactor.HOME_SIZE: "养老服务机构规模",
        FeeFactor.RESIDENTS_HEALTH: "入住老年人健康状况",
        FeeFactor.WORKLOAD: "医疗卫生服务工作量",
        FeeFactor.STAFF_TITLES: "医疗卫生人员职称",
        FeeFactor.DISTANCE: "机构间距离",
        FeeFactor.EQUIPMENT: "养老服务机构提供设施设备支持",
        FeeFactor.OTHER: "其他因素",
    }
)

# Seed 003 §三 (REFERENCE §3.2): the medical side books the fee in a separate memo account.
FEE_MEMO_ACCOUNT_NOTE = (
    "签约医疗卫生机构应当将收到的医疗卫生服务合作经费单列备查账管理并依法接受检查监督"
)


def check_fee_factors(codes: Iterable[object]) -> tuple[FeeFactor, ...]:
    """Fee factors in list order; none is allowed (e.g. a free, government-bought service)."""
    chosen: list[FeeFactor] = []
    for code in codes:
        if not isinstance(code, str) or code not in FEE_FACTOR_LABELS:
            raise ValueError(f"未知的经费确定因素：{code!r}")
        if FeeFactor(code) in chosen:
            raise ValueError(f"经费确定因素“{FeeFactor(code).label}”重复")
        chosen.append(FeeFactor(code))
    order = list(FeeFactor)
    return tuple(sorted(chosen, key=order.index))


# REFERENCE §3.2: what the written agreement (医养合作书面协议) states; it is made public.
AGREEMENT_CLAUSES: Mapping[str, str] = MappingProxyType(
    {
        "items": "服务项目",
        "modes": "合作方式",
        "term": "合作期限",
        "duties": "双方责任",
        "fee": "合作经费",
        "patrol_interval": "巡诊周期",
    }
)


# ----------------------------------------------------------------------------- typical focus

# Mirrors yiyang.orgs.models.MedicalInstitution.Type (REFERENCE §3.1).
MEDICAL_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "township_hc": "乡镇卫生院",
        "community_hc": "社区卫生服务中心",
        "rehab": "康复医院（中心）",
        "nursing": "护理院（中心、站）",
        "hospice": "安宁疗护中心",
        "general": "综合医院",
        "tcm": "中医医院",
        "village_clinic": "村卫生室",
        "other": "其他医疗机构",
    }
)

# Seed 003 §二 "重点提供": (types, minimum grade, items).  Items by the annex's categories:
# 基本公共卫生服务 1–4, 疾病诊疗 5, 医疗康复 6, 医疗护理 7, 中医药 8, 安宁疗护 10, 家庭病床 11,
# 急诊急救绿色通道 12, 专业培训 16.
_TYPICAL: tuple[tuple[frozenset[str], int, frozenset[int]], ...] = (
    (frozenset({"township_hc", "community_hc"}), 0, frozenset({1, 2, 3, 4, 5, 8, 11})),
    (frozenset({"rehab", "nursing", "hospice"}), 0, frozenset({6, 7, 10, 16})),
    (frozenset({"general", "tcm"}), 2, frozenset({5, 8, 12, 16})),
)
# "医疗卫生机构可与签约的具备条件的养老机构内设医疗卫生机构开展双向转诊、远程医疗服务".
_WITH_HOME_UNIT = frozenset({13, 17})


def _check_type(institution_type: object) -> str:
    if not isinstance(institution_type, str) or institution_type not in MEDICAL_TYPES:
        raise ValueError(f"未知的医疗卫生机构类型：{institution_type!r}")
    return institution_type


def _grade(grade: object) -> int:
    """``""``/``None`` (未定级) → 0; ``"1"``–``"3"`` or 1–3 → that grade."""
    if grade is None or grade == "":
        return 0
    if isinstance(grade, bool) or str(grade) not in {"1", "2", "3"}:
        raise ValueError(f"未知的医院等级：{grade!r}")
    return int(str(grade))


def typical_items(
    institution_type: str, grade: str | int | None = None, *, home_has_medical_unit: bool = False
) -> tuple[int, ...]:
    """Items seed 003 names as the typical focus of such an institution (advice, not a rule).

    An institution with no stated focus (村卫生室, a hospital below grade II, …) gets ``()``.
    """
    kind, level = _check_type(institution_type), _grade(grade)
    out: set[int] = set()
    for types, min_grade, numbers in _TYPICAL:
        if kind in types and level >= min_grade:
            out |= numbers
    if home_has_medical_unit:
        out |= _WITH_HOME_UNIT
    return tuple(sorted(out))


def provider_advice(
    *,
    items: Iterable[int],
    modes: Iterable[str],
    institution_type: str,
    grade: str | int | None = None,
    tcm_qualified: bool | None = None,
    home_has_medical_unit: bool | None = None,
) -> tuple[str, ...]:
    """Hints (Chinese) where the choice departs from the annex's 说明 or seed 003 §二.

    Never a refusal: the parties decide "结合实际和自身服务能力".  ``None`` for a fact means
    "not known", and no hint depends on it.
    """
    numbers, chosen_modes = check_items(items), check_modes(modes)
    kind, level = _check_type(institution_type), _grade(grade)
    primary = kind in {"township_hc", "community_hc", "village_clinic"}
    hints: list[str] = []
    for n in numbers:
        it = _BY_NUMBER[n]
        if it.provider is Provider.BASIC_PRIMARY and not primary:
            hints.append(f"第 {n} 项（{it.category}）为基层医疗卫生机构基本项目")
        elif it.provider is Provider.HOSPITAL_GRADE_II and level < 2:
            hints.append(f"第 {n} 项（{it.category}）应由二级及以上医院提供")
        elif it.provider is Provider.TCM_QUALIFIED and tcm_qualified is False:
            hints.append(f"第 {n} 项（{it.category}）需有中医药服务资质和能力")
    for m in chosen_modes:
        info = MODES[m]
        if info.min_grade and level < info.min_grade:
            hints.append(f"合作方式“{info.label}”应由二级及以上医院提供")
        if info.medical_types is not None and kind not in info.medical_types:
            names = "、".join(MEDICAL_TYPES[t] for t in sorted(info.medical_types))
            hints.append(f"合作方式“{info.label}”适用于{names}")
        if info.needs_home_medical_unit and home_has_medical_unit is False:
            hints.append(f"合作方式“{info.label}”需要养老服务机构设有内设医疗机构")
        if info.item is not None and info.item not in numbers:
            hints.append(f"选择了合作方式“{info.label}”，服务项目中宜包含第 {info.item} 项")
    return tuple(hints)
