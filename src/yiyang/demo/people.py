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
    "老五", "二孬", "继宗", "明亮", "怀玉", "德山", "树森", "连城", "孝先", "中华", "志远",
)
FEMALE_GIVEN = (
    "秀英", "桂英", "玉兰", "凤英", "秀兰", "桂兰", "玉梅", "素珍", "淑芬", "翠花", "巧云",
    "兰英", "金花", "秀云", "玉珍", "桂芝", "爱荣", "月娥", "俊英", "荣花", "改花", "秀荣",
    "凤兰", "桂香", "银花", "二妮", "小妮", "素梅", "春兰", "玉芝", "秀珍", "爱莲", "粉英",
    "彩云", "书琴", "桂荣", "凤琴", "玉凤", "金荣", "翠英", "英", "芹",
)
# The generation of their children and nephews (born 1955–1985).
YOUNG_GIVEN = (
    "建伟", "红霞", "海军", "丽娟", "卫东", "建军", "国强", "艳红", "志刚", "秀丽", "新华",
    "红军", "俊峰", "丽萍", "晓燕", "军伟", "玉霞", "东亮", "海燕", "永强", "春燕", "建设",
    "卫红", "小红", "爱民", "利民", "国伟", "翠平", "宏亮", "彦伟",
)
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
_VILLAGE_TAIL = ("庄", "楼", "集", "寨", "屯", "岗", "营", "店", "村", "湾", "洼", "堂")


def person_name(rng: random.Random, sex: str) -> str:
    return rng.choice(SURNAMES) + rng.choice(MALE_GIVEN if sex == "M" else FEMALE_GIVEN)


def young_name(rng: random.Random, surname: str | None = None) -> str:
    return (surname or rng.choice(SURNAMES)) + rng.choice(YOUNG_GIVEN)


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


def birth_date(rng: random.Random, age_years: int, today: date) -> date:
    """A birth date giving exactly `age_years` completed years today (never 29 February)."""
    latest = date(today.year - age_years, today.month, min(today.day, 28))
    born = latest - timedelta(days=rng.randrange(365))
    return born if (born.month, born.day) != (2, 29) else born - timedelta(days=1)


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


def address(rng: random.Random, county: str) -> str:
    prefix, towns = COUNTIES[county]
    town = rng.choice(towns)
    if town.endswith("街道"):
        return f"{prefix}{town}{rng.choice('东西南北')}街{rng.randrange(1, 160)}号"
    village = rng.choice(_VILLAGE_HEAD) + rng.choice(SURNAMES) + rng.choice(_VILLAGE_TAIL)
    return f"{prefix}{town}{village}村{rng.randrange(1, 12)}组"


def disability_certificate(rng: random.Random, number: str) -> tuple[str, str]:
    """第二代残疾人证: the ID number + category digit + grade digit, and its label."""
    category = rng.choices((4, 1, 5, 2, 6, 7), weights=(8, 2, 2, 1, 1, 1))[0]
    grade = rng.choice((1, 2, 2, 3, 3, 4))
    kind = {1: "视力", 2: "听力", 4: "肢体", 5: "智力", 6: "精神", 7: "多重"}[category]
    return f"{number}{category}{grade}", f"{kind}残疾{'一二三四'[grade - 1]}级"
