"""Pure generators for the demo residents (`yiyang.demo.residents`): names, ages, ID numbers,
addresses and phones of elderly people from the rural counties of 开封市 (no Django).

Everything takes a seeded `random.Random`, so a rerun on a fresh database gives the same people.
ID numbers follow GB 11643 (REFERENCE §6.1): the address code is the county code in force when
the number was issued (hence 410224 开封县 for people of today's 祥符区), the 17th digit is odd
for men, even for women, and the sequence is always 100–999 — hand-built test numbers with a
sequence below 100 (e.g. 410221194403150036) can never collide with a demo resident.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from yiyang.core.identifiers import id_check_digit

# Common Henan surnames, weighted towards the big ones; the heteronym surnames (单 Shàn, 曾 Zēng,
# 解 Xiè, 仇 Qiú, 尉 Yù) exercise the pinyin search keys.
SURNAMES = (
    "王" * 9 + "李" * 8 + "张" * 8 + "刘" * 7 + "陈" * 4 + "杨" * 4 + "赵" * 4 + "郭" * 3
    + "孙" * 3 + "周" * 2 + "马" * 2 + "胡" * 2 + "朱" * 2 + "高" * 2 + "吴" * 2 + "徐" * 2
    + "宋" * 2 + "何郑田韩冯程杜曹贾许崔范魏袁董吕焦乔牛任蒋付邓史侯常姚岳葛申秦闫孔"
    + "单曾解仇尉"
)
MALE_GIVEN = (
    "德福", "保林", "春生", "来顺", "金锁", "玉山", "长河", "文治", "振江", "全喜", "根生",
    "铁柱", "满仓", "留柱", "拴柱", "书林", "广德", "永福", "庆云", "学礼", "景山", "清海",
    "占魁", "秉义", "新民", "建国", "富贵", "成林", "金生", "守义", "国栋", "合意", "天祥",
    "长林", "运来", "继宗", "明亮", "怀玉", "德山", "树森", "连城", "孝先", "中华", "志远",
)
FEMALE_GIVEN = (
    "秀英", "桂英", "玉兰", "凤英", "秀兰", "桂兰", "玉梅", "素珍", "淑芬", "翠花", "巧云",
    "兰英", "金花", "秀云", "玉珍", "桂芝", "爱荣", "月娥", "俊英", "荣花", "改花", "秀荣",
    "凤兰", "桂香", "银花", "二妮", "小妮", "素梅", "春兰", "玉芝", "秀珍", "爱莲", "粉英",
    "彩云", "书琴", "桂荣", "凤琴", "玉凤", "金荣", "翠英", "英", "芹",
)
# The generation of their children, nephews and grandchildren (born 1955–1990).
YOUNG_MALE = ("建伟", "海军", "卫东", "建军", "国强", "志刚", "新华", "红军", "俊峰", "军伟",
              "东亮", "永强", "建设", "爱民", "利民", "国伟", "宏亮", "彦伟", "振宇", "浩然")
YOUNG_FEMALE = ("红霞", "丽娟", "艳红", "秀丽", "丽萍", "晓燕", "玉霞", "海燕", "春燕", "卫红",
                "小红", "翠平", "雪梅", "亚楠", "丽华", "爱萍")
MOBILE_PREFIXES = ("134", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "156", "158", "159", "176", "177", "182", "183", "186", "187", "188", "199")

# County address codes (REFERENCE §6.2) with their townships; 410224 is 开封县 as it was when
# these people's numbers were issued (now 祥符区 410212), so the address reads 祥符区.
COUNTIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "410221": ("河南省开封市杞县", (
        "城关镇", "五里河镇", "傅集镇", "圉镇镇", "高阳镇", "葛岗镇", "阳堌镇", "邢口镇",
        "裴村店乡", "宗店乡", "板木乡", "湖岗乡", "竹林乡", "苏木乡", "沙沃乡", "平城乡")),
    "410222": ("河南省开封市通许县", (
        "城关镇", "竖岗镇", "玉皇庙镇", "四所楼镇", "朱砂镇", "长智镇", "冯庄乡", "孙营乡",
        "大岗李乡", "邸阁乡", "练城乡", "厉庄乡")),
    "410223": ("河南省开封市尉氏县", (
        "城关镇", "洧川镇", "朱曲镇", "蔡庄镇", "永兴镇", "张市镇", "十八里镇", "水坡镇",
        "大营镇", "庄头镇", "大桥乡", "南曹乡", "门楼任乡", "岗李乡")),
    "410224": ("河南省开封市祥符区", (
        "陈留镇", "仇楼镇", "八里湾镇", "曲兴镇", "朱仙镇", "半坡店乡", "罗王乡", "刘店乡",
        "袁坊乡", "杜良乡", "西姜寨乡", "万隆乡", "范村乡", "兴隆乡")),
    "410212": ("河南省开封市祥符区", ("陈留镇", "仇楼镇", "朱仙镇", "兴隆乡")),
    "410225": ("河南省开封市兰考县", (
        "城关镇", "堌阳镇", "南彰镇", "东坝头镇", "张君墓镇", "红庙镇", "考城镇", "仪封镇",
        "谷营镇", "小宋镇", "三义寨乡", "葡萄架乡", "孟寨乡", "许河乡", "爪营乡")),
    "410205": ("河南省开封市禹王台区", ("三里堡街道", "新门关街道", "繁塔街道", "南郊乡",
                                    "汪屯乡")),
    "411421": ("河南省商丘市民权县", ("人和镇", "龙塘镇", "北关镇", "程庄镇", "王庄寨镇")),
    "411422": ("河南省商丘市睢县", ("城关镇", "西陵寺镇", "蓼堤镇", "尤吉屯乡", "白庙乡")),
    "411627": ("河南省周口市太康县", ("常营镇", "逊母口镇", "老冢镇", "朱口镇", "高朗乡")),
    "411621": ("河南省周口市扶沟县", ("城关镇", "崔桥镇", "江村镇", "白潭镇", "练寺镇")),
}
# Where a home's residents come from: its own county mostly, then the neighbours.
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "410221": ("410224", "410222", "411422", "411421", "410225"),
    "410222": ("410223", "410221", "410224", "411621", "411627"),
    "410225": ("410224", "411421", "410221", "410205", "410212"),
}
_VILLAGE_HEAD = ("", "", "", "前", "后", "东", "西", "南", "北", "大", "小")
_VILLAGE_TAIL = ("庄", "楼", "集", "寨", "屯", "岗", "营", "店", "湾", "洼", "堂")


def person_name(rng: random.Random, sex: str) -> str:
    return rng.choice(SURNAMES) + rng.choice(MALE_GIVEN if sex == "M" else FEMALE_GIVEN)


def young_name(rng: random.Random, sex: str, surname: str | None = None) -> str:
    return (surname or rng.choice(SURNAMES)) + rng.choice(YOUNG_MALE if sex == "M"
                                                          else YOUNG_FEMALE)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def age(rng: random.Random) -> int:
    """Completed years, 60–98: a nursing-home age pyramid (peak in the early eighties)."""
    low = rng.choices((60, 65, 70, 75, 80, 85, 90, 95), weights=(6, 8, 12, 17, 22, 20, 11, 4))[0]
    return min(low + rng.randrange(5), 98)


def female_share(age_years: int, public: bool) -> float:
    """Women outlive men; the township 敬老院 house mostly single men (特困供养, 五保户)."""
    share = 0.45 if age_years < 75 else 0.55 if age_years < 85 else 0.66
    return share - (0.22 if public else 0.0)


def birth_date(rng: random.Random, age_years: int, ref: date) -> date:
    """A birth date giving exactly `age_years` completed years on `ref` (never 29 February)."""
    while True:
        born = date(ref.year - age_years - 1, ref.month, min(ref.day, 28)) + timedelta(
            days=1 + rng.randrange(365))
        had_birthday = (ref.month, ref.day) >= (born.month, born.day)
        if (born.month, born.day) != (2, 29) and \
                ref.year - born.year - (not had_birthday) == age_years:
            return born


def home_origin(rng: random.Random, home_county: str) -> str:
    """The county code of a resident's ID number for a home in `home_county`."""
    neighbours = NEIGHBOURS.get(home_county, ())
    if not neighbours or rng.random() < 0.72:
        return home_county
    return rng.choices(neighbours, weights=(5, 4, 2, 2, 1)[:len(neighbours)])[0]


def id_number(rng: random.Random, county: str, born: date, sex: str, taken: set[str]) -> str:
    """A valid, unique 18-digit number; sequence 100–999, odd 17th digit for men."""
    while True:
        seq = rng.randrange(10, 100) * 10 + rng.randrange(0 if sex == "F" else 1, 10, 2)
        first17 = f"{county}{born:%Y%m%d}{seq:03d}"
        number = first17 + id_check_digit(first17)
        if number not in taken:
            taken.add(number)
            return number


def current_county(code: str) -> str:
    """The county code in today's table for an issue-time code (开封县 410224 → 祥符区)."""
    return "410212" if code == "410224" else code


def address(rng: random.Random, county: str) -> tuple[str, str]:
    """(address, the vaccination clinic of its township)."""
    prefix, towns = COUNTIES[county]
    town = rng.choice(towns)
    place = prefix.removeprefix("河南省")
    if town.endswith("街道"):
        return (f"{prefix}{town}{rng.choice('东西南北')}街{rng.randrange(1, 160)}号",
                f"{place}{town}社区卫生服务中心预防接种门诊")
    village = rng.choice(_VILLAGE_HEAD) + rng.choice(SURNAMES) + rng.choice(_VILLAGE_TAIL)
    return (f"{prefix}{town}{village}村{rng.randrange(1, 12)}组",
            f"{place}{town}卫生院预防接种门诊")


def disability_certificate(rng: random.Random, number: str) -> tuple[str, str]:
    """第二代残疾人证: the ID number + category digit + grade digit, and its label."""
    category = rng.choices((4, 1, 5, 2, 6, 7), weights=(8, 2, 2, 1, 1, 1))[0]
    grade = rng.choice((1, 2, 2, 3, 3, 4))
    kind = {1: "视力", 2: "听力", 4: "肢体", 5: "智力", 6: "精神", 7: "多重"}[category]
    return f"{number}{category}{grade}", f"{kind}残疾{'一二三四'[grade - 1]}级"


# ---- health -------------------------------------------------------------------------------

# (code, prevalence among the elderly, share judged 不稳定) — REFERENCE §1.2 diseases.
CONDITIONS = (("HTN", 0.55, 0.10), ("DM", 0.20, 0.12), ("CHD", 0.15, 0.10),
              ("STROKE", 0.10, 0.15), ("COPD", 0.08, 0.18), ("CKD", 0.05, 0.15),
              ("CANCER_RCT", 0.012, 0.6), ("IMMUNODEF", 0.008, 0.3))
OTHER_DISEASES = ("阿尔茨海默病", "帕金森病", "慢性心力衰竭", "肝硬化")
MEDICINES = {
    "HTN": ("苯磺酸氨氯地平片 5mg 每日一次", "硝苯地平控释片 30mg 每日一次",
            "缬沙坦胶囊 80mg 每日一次", "厄贝沙坦片 150mg 每日一次"),
    "DM": ("盐酸二甲双胍片 0.5g 每日三次", "阿卡波糖片 50mg 每日三次（随餐）",
           "甘精胰岛素注射液 12单位 睡前皮下注射", "格列美脲片 2mg 每日一次"),
    "CHD": ("阿司匹林肠溶片 100mg 每日一次", "阿托伐他汀钙片 20mg 每晚一次",
            "单硝酸异山梨酯缓释片 40mg 每日一次"),
    "STROKE": ("硫酸氢氯吡格雷片 75mg 每日一次", "瑞舒伐他汀钙片 10mg 每晚一次"),
    "COPD": ("噻托溴铵粉吸入剂 18μg 每日一次", "沙美特罗替卡松粉吸入剂 每日两次"),
    "CKD": ("复方α-酮酸片 4片 每日三次", "碳酸氢钠片 0.5g 每日三次"),
    "阿尔茨海默病": ("盐酸多奈哌齐片 5mg 每晚一次",),
    "帕金森病": ("多巴丝肼片 125mg 每日三次",),
    "慢性心力衰竭": ("呋塞米片 20mg 每日一次", "螺内酯片 20mg 每日一次"),
}
ALLERGIES = ("青霉素过敏", "磺胺类药物过敏", "头孢类抗生素过敏（皮疹）", "对医用胶布过敏",
             "海鲜过敏", "链霉素过敏", "花粉过敏")
CARE = {
    "0": ("生活自理，每日巡视两次", "测血压、体温（每日）；协助整理内务；文体活动"),
    "1": ("协助洗浴、洗衣，提醒按时服药", "测血压（每日）；协助洗浴（每周两次）；代购生活用品"),
    "2": ("协助进食、如厕、洗浴，助行器辅助行走", "协助进食；协助如厕；康复训练（每周三次）"),
    "3": ("轮椅转移，协助进食，定时翻身（每2小时）", "喂食；翻身拍背；会阴护理；被动肢体活动"),
    "4": ("长期卧床，喂食或鼻饲，每2小时翻身，预防压力性损伤",
          "鼻饲护理；口腔护理；翻身拍背；二便护理；压疮风险评估（每周）"),
}
INACTIVATED = "新冠病毒灭活疫苗（Vero细胞）"
CHO = "重组新冠病毒蛋白疫苗（CHO细胞）"
AD5 = "重组新冠病毒疫苗（5型腺病毒载体）"
INHALED = "吸入用重组新冠病毒疫苗（5型腺病毒载体）"
CONTRAINDICATIONS = ("既往疫苗接种后严重过敏反应", "恶性肿瘤放化疗期间",
                     "免疫功能缺陷，经医生评估暂不接种")
DEFERRALS = ("血压控制不佳（178/102mmHg），暂缓接种", "脑卒中恢复期，暂缓接种",
             "慢阻肺急性加重期，暂缓接种", "发热待查，暂缓接种", "血糖控制不佳，暂缓接种")


def conditions(rng: random.Random, age_years: int) -> list[tuple[str, str, str]]:
    """Underlying diseases as (code, other name, "stable"/"unstable")."""
    factor = 0.8 if age_years < 70 else 1.0
    found = [(code, "", "unstable" if rng.random() < unstable else "stable")
             for code, share, unstable in CONDITIONS if rng.random() < share * factor]
    if rng.random() < 0.09:
        found.append(("OTHER", rng.choice(OTHER_DISEASES),
                      "unstable" if rng.random() < 0.12 else "stable"))
    return found


def disability_level(rng: random.Random, age_years: int, public: bool, diseases: set[str]) -> str:
    """失能等级 "0"–"4" (能力完好 … 完全失能); stroke and dementia weigh towards the severe end."""
    if diseases & {"STROKE", "阿尔茨海默病", "帕金森病"}:
        weights = (10, 20, 25, 25, 20)
    elif public:
        weights = (50, 27, 12, 7, 4) if age_years < 85 else (38, 30, 16, 10, 6)
    else:
        weights = (38, 26, 16, 12, 8) if age_years < 85 else (22, 25, 21, 18, 14)
    return rng.choices("01234", weights=weights)[0]


def profile_text(rng: random.Random, *, age_years: int, level: str, diseases: set[str],
                 hui: bool) -> dict[str, str]:
    diet = []
    if hui:
        diet.append("清真饮食")
    if "DM" in diseases:
        diet.append("糖尿病饮食，控制主食，少食多餐")
    if "CKD" in diseases:
        diet.append("优质低蛋白饮食")
    if diseases & {"HTN", "CHD", "STROKE", "慢性心力衰竭"}:
        diet.append("低盐低脂")
    if level in "34":
        diet.append(rng.choice(("软食，防呛咳", "半流质，少量多次喂食",
                                "糊状饮食，喂食时抬高床头")))
    cautions = []
    if age_years >= 85 or level in "23" or "帕金森病" in diseases:
        cautions.append("防跌倒：起床、如厕有人陪护")
    if "阿尔茨海默病" in diseases:
        cautions.append("防走失：佩戴定位手环，外出需家属或护理员陪同")
    if "DM" in diseases:
        cautions.append("注意低血糖反应，备糖块")
    if level in "34":
        cautions.append("防压力性损伤：每2小时翻身，保持皮肤清洁干燥")
    if "COPD" in diseases:
        cautions.append("低流量吸氧（1–2L/min），避免受凉")
    medicines = [rng.choice(MEDICINES[d]) for d in sorted(diseases) if d in MEDICINES]
    care, items = CARE[level]
    return {
        "allergies": rng.choice(ALLERGIES) if rng.random() < 0.12 else "无",
        "diet": "；".join(diet) or "普通饮食",
        "care_needs": care,
        "service_items": items + ("；测血糖（每周三次）" if "DM" in diseases else ""),
        "service_cautions": "；".join(cautions),
        "current_medicines": "\n".join(medicines),
    }


def vaccinations(rng: random.Random, age_years: int, *, unstable: bool,
                 cancer: bool) -> list[tuple[str, str, int | None, date, str]]:
    """COVID vaccination rows as (kind, product, dose number, date, reason)."""
    first = date(2021, 3, 22) + timedelta(days=rng.randrange(200))
    if cancer and rng.random() < 0.7:
        return [("contraindication", "", None, first, CONTRAINDICATIONS[1])]
    p_none = 0.12 + (0.14 if age_years >= 90 else 0.06 if age_years >= 80 else 0.0)
    p_none += 0.15 if unstable else 0.0
    draw = rng.random()
    if draw < p_none:
        if rng.random() < 0.4:
            kind = rng.choice(("contraindication", "deferral", "deferral"))
            reason = rng.choice(CONTRAINDICATIONS if kind == "contraindication" else DEFERRALS)
            return [(kind, "", None, first, reason)]
        return []
    product = rng.choices((INACTIVATED, CHO, AD5), weights=(93, 4, 3))[0]
    series = {INACTIVATED: 2, CHO: 3, AD5: 1}[product]
    received = series - 1 if draw < p_none + 0.10 and series > 1 else series
    rows, day = [], first
    for dose in range(1, received + 1):
        rows.append(("dose", product, dose, day, ""))
        day += timedelta(days=rng.randrange(21, 57))
    if received == series and rng.random() < 0.3:  # 加强免疫, late 2021 – 2022
        day = max(day + timedelta(days=150), date(2021, 10, 15)) + timedelta(
            days=rng.randrange(240))
        rows.append(("booster", rng.choice((INACTIVATED, INACTIVATED, INHALED)), series + 1,
                     min(day, date(2022, 12, 28)), ""))
    return rows


def contacts(rng: random.Random, *, name: str, sex: str, public: bool,
             level: str) -> list[tuple[str, str, str]]:
    """1–2 contacts as (kind, name, relation); 五保 men in a 敬老院 often have only the village."""
    own = name[0]
    married = rng.choice(SURNAMES)  # a woman's children carry her husband's surname
    if public and sex == "M" and rng.random() < 0.5:
        first = rng.choice((("guardian", young_name(rng, "M", own), "侄子"),
                            ("guardian", young_name(rng, "M"), "村委会主任")))
        helper = ("emergency", young_name(rng, rng.choice("MF")), "村民政协理员")
        return [first, helper][: rng.choice((1, 2))]
    kin = own if sex == "M" else married
    family = [(young_name(rng, "M", kin), "儿子"), (young_name(rng, "F"), "女儿"),
              (young_name(rng, "F"), "儿媳"), (young_name(rng, "M", kin), "孙子")]
    child = family.pop(rng.choice((0, 0, 1)))
    kind = "guardian" if level in "34" and rng.random() < 0.5 else "family"
    out = [(kind, *child)]
    if rng.random() < 0.6:
        out.append(("emergency", *rng.choice(family)))
    return out
