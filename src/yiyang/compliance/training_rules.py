"""Staff training (seed 002 §五) and TCM techniques (§十一): pure rules, no Django.

* Who must be trained: §五 "基本完成辖区内医养结合机构管理人员、专业技术人员培训全覆盖". We read
  管理人员 as the institution's managers and 专业技术人员 as its licensed health professionals
  (doctors, nurses); registrars and caregivers (护理员, 技能人员 rather than 专业技术人员) are not
  in the denominator (UNCONFIRMED, docs/staff-training-tcm.md).
* The window: a person counts as trained on `on` with at least one training held in the 12
  months ending `on` (UNCONFIRMED: §五 sets no refresh interval).
* TCM techniques: the catalogue of 中医医疗技术 types with common items (UNCONFIRMED: after the
  national classification of 中医医疗技术; a province may replace it), and §十一's "4类6项以上"
  read as at least 6 different items spread over at least 4 different types.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "MANAGER_ROLES",
    "MIN_ITEMS",
    "MIN_TYPES",
    "PROFESSIONAL_ROLES",
    "TCM_CATALOGUE",
    "TCM_TYPES",
    "TRAINED_ROLES",
    "TRAINING_KINDS",
    "TcmItem",
    "meets_4_types_6_items",
    "meets_counts",
    "tcm_item",
    "training_window",
]

# Role values (core.permissions.Role) kept as strings so this module stays pure.
MANAGER_ROLES = frozenset({"home_manager", "medical_admin", "agreement_manager"})
PROFESSIONAL_ROLES = frozenset({"home_nurse", "home_doctor", "medical_doctor"})
TRAINED_ROLES = MANAGER_ROLES | PROFESSIONAL_ROLES

# §五: 老年医学人才、医养结合人才、养老服务技能人才、长期照护人才等能力提升培训 ... 继续教育
TRAINING_KINDS: tuple[tuple[str, str], ...] = (
    ("geriatrics", "老年医学"),
    ("integrated", "医养结合"),
    ("eldercare", "养老服务技能"),
    ("long_term", "长期照护"),
    ("continuing", "继续教育"),
    ("other", "其他"),
)


def training_window(on: date) -> tuple[date, date]:
    """The first and last day (inclusive) of the 12 months ending `on`: from the day after the
    same date a year earlier (29 February → 28 February) up to `on`."""
    try:
        year_before = on.replace(year=on.year - 1)
    except ValueError:  # 29 February
        year_before = on.replace(year=on.year - 1, day=28)
    return year_before + timedelta(days=1), on


# ---- TCM techniques (§十一 4类6项) ------------------------------------------------------------

MIN_TYPES = 4
MIN_ITEMS = 6


@dataclass(frozen=True)
class TcmItem:
    code: str
    label: str
    type_code: str
    type_label: str


# type code, type label, ((item code, item label), ...)
_CATALOGUE: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("acupuncture", "针刺类", (
        ("needling", "毫针刺法"), ("electro_acupuncture", "电针"), ("auricular_press", "耳穴压豆"),
        ("warm_needle", "温针灸"), ("fire_needle", "火针"), ("plum_blossom", "梅花针（皮肤针）"),
        ("acupoint_injection", "穴位注射"), ("catgut", "穴位埋线"))),
    ("moxibustion", "灸类", (
        ("moxa", "艾灸（艾条灸、艾炷灸）"), ("moxa_box", "温灸器灸（艾灸盒）"),
        ("ginger_moxa", "隔物灸（隔姜灸等）"), ("thunder_moxa", "雷火灸"),
        ("heat_sensitive", "热敏灸"), ("sanfu_plaster", "天灸（三伏贴）"))),
    ("tuina", "推拿类", (
        ("tuina", "推拿（按摩）"), ("acupressure", "穴位按压（点穴）"), ("spinal_pinching", "捏脊"),
        ("foot_reflexology", "足部反射区按摩"), ("bone_setting_massage", "正骨推拿"))),
    ("scraping", "刮痧类", (
        ("gua_sha", "刮痧"), ("pinching_sha", "撮痧（扯痧）"), ("bian_stone", "砭石疗法"))),
    ("cupping", "拔罐类", (
        ("fire_cupping", "火罐"), ("moving_cupping", "走罐"), ("bloodletting_cupping", "刺络拔罐"),
        ("herbal_cupping", "药罐"), ("flash_cupping", "闪罐"))),
    ("external", "敷熨熏浴类", (
        ("acupoint_plaster", "穴位贴敷"), ("herbal_fumigation", "中药熏洗（熏蒸）"),
        ("herbal_compress", "中药热熨（热奄包）"), ("herbal_bath", "中药药浴（足浴）"),
        ("herbal_wrap", "中药湿敷、涂擦"), ("wax_therapy", "中药蜡疗"),
        ("herbal_enema", "中药灌肠"))),
    ("orthopaedic", "骨伤类", (
        ("reduction", "手法整复"), ("splinting", "夹板固定"), ("tendon_manipulation", "理筋手法"))),
    ("anorectal", "肛肠类", (
        ("ligation", "痔结扎疗法"), ("sitz_bath", "中药坐浴"), ("hanging_thread", "挂线疗法"))),
    ("other", "其他类", (
        ("daoyin", "传统导引（八段锦、太极拳等）"), ("constitution", "中医体质辨识与调养"),
        ("diet_therapy", "中医药膳食疗"), ("herbal_drink", "中药代茶饮"))),
)

TCM_TYPES: dict[str, str] = {code: label for code, label, _ in _CATALOGUE}
TCM_CATALOGUE: dict[str, TcmItem] = {
    item: TcmItem(item, item_label, type_code, type_label)
    for type_code, type_label, items in _CATALOGUE
    for item, item_label in items
}


def tcm_item(code: str) -> TcmItem | None:
    return TCM_CATALOGUE.get(code)


def meets_counts(types: int, items: int) -> bool:
    """§十一 "4类6项以上": at least 4 different types and at least 6 different items."""
    return types >= MIN_TYPES and items >= MIN_ITEMS


def meets_4_types_6_items(items: Iterable[str]) -> bool:
    """Whether the technique codes offered (duplicates and unknown codes ignored) cover at
    least 6 items of at least 4 types of the catalogue."""
    known = {code for code in items if code in TCM_CATALOGUE}
    return meets_counts(len({TCM_CATALOGUE[c].type_code for c in known}), len(known))
