"""Validation of Chinese personal and organisation identifiers.

Pure standard library (no Django), so that models, forms, API schemas, importers and the
demo-data generator can all share one implementation.

* Citizen ID number (公民身份号码): REFERENCE §6.1 / GB 11643-1999, province prefixes per
  REFERENCE §6.2 / GB/T 2260.
* Unified social credit code (统一社会信用代码): REFERENCE §6.4 / GB 32100-2015, with the
  embedded organisation code checked per GB 11714.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import lru_cache
from operator import mul
from types import MappingProxyType

__all__ = [
    "CREDIT_CODE_AUTHORITIES",
    "CREDIT_CODE_CHARSET",
    "MIN_BIRTH_DATE",
    "PROVINCE_CODES",
    "IdNumber",
    "InvalidCreditCode",
    "InvalidIdNumber",
    "credit_code_check_char",
    "id_check_digit",
    "org_code_check_char",
    "parse_credit_code",
    "parse_id_number",
]


class InvalidIdNumber(ValueError):
    """A citizen ID number failed validation; str() is a Simplified Chinese message."""


class InvalidCreditCode(ValueError):
    """A unified social credit code failed validation; str() is a Simplified Chinese message."""


# ---------------------------------------------------------------------------
# Citizen ID number — REFERENCE §6.1 / GB 11643-1999
# ---------------------------------------------------------------------------

_DIGITS = frozenset("0123456789")  # ASCII only: str.isdigit() would accept "１２３" etc.

# REFERENCE §6.2 / GB/T 2260 province-level codes (71/81/82 are reserved codes without
# sub-codes). 83 is not a GB/T 2260 code but is the address code of 台湾居民居住证
# (830000, REFERENCE §6.1), which shares this layout and check digit.
PROVINCE_CODES: MappingProxyType[str, str] = MappingProxyType(
    {
        "11": "北京市",
        "12": "天津市",
        "13": "河北省",
        "14": "山西省",
        "15": "内蒙古自治区",
        "21": "辽宁省",
        "22": "吉林省",
        "23": "黑龙江省",
        "31": "上海市",
        "32": "江苏省",
        "33": "浙江省",
        "34": "安徽省",
        "35": "福建省",
        "36": "江西省",
        "37": "山东省",
        "41": "河南省",
        "42": "湖北省",
        "43": "湖南省",
        "44": "广东省",
        "45": "广西壮族自治区",
        "46": "海南省",
        "50": "重庆市",
        "51": "四川省",
        "52": "贵州省",
        "53": "云南省",
        "54": "西藏自治区",
        "61": "陕西省",
        "62": "甘肃省",
        "63": "青海省",
        "64": "宁夏回族自治区",
        "65": "新疆维吾尔自治区",
        "71": "台湾省",
        "81": "香港特别行政区",
        "82": "澳门特别行政区",
        "83": "台湾居民居住证",
    }
)

# Reject absurd birth years; must still admit the standard's own example 440524188001010014.
MIN_BIRTH_DATE = datetime.date(1870, 1, 1)

# MOD 11-2 (ISO 7064): W_i = 2^(18-i) mod 11 for i = 1..17; check = "10X98765432"[S mod 11].
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK_CHARS = "10X98765432"


@dataclass(frozen=True)
class IdNumber:
    """A validated 18-character citizen ID number and the facts encoded in it."""

    # repr=False: keep the full number out of logs and tracebacks (DESIGN: display masked).
    number: str = field(repr=False)
    birth_date: datetime.date
    sex: str  # "M" or "F", from the parity of the 17th digit
    region_code: str  # positions 1-6: county code at issue time; may no longer exist

    @property
    def masked(self) -> str:
        """First 6 + 8 asterisks + last 4, e.g. ``110105********123X`` (REFERENCE §6.1)."""
        return f"{self.number[:6]}{'*' * 8}{self.number[-4:]}"


def id_check_digit(first17: str) -> str:
    """Return the MOD 11-2 check character ("0"-"9" or "X") for 17 ASCII digits."""
    if not isinstance(first17, str) or len(first17) != 17 or not _DIGITS.issuperset(first17):
        raise InvalidIdNumber("计算身份证号码校验码需要 17 位数字本体码")
    return _check_char(first17)


_ZERO_OFFSET = ord("0") * sum(_ID_WEIGHTS)


def _check_char(first17: str) -> str:
    """`id_check_digit` for 17 ASCII digits already checked: Σ digit·weight computed on the
    character codes (Σ code·weight − ord("0")·Σ weight), which avoids 17 int() calls."""
    total = sum(map(mul, first17.encode("ascii"), _ID_WEIGHTS)) - _ZERO_OFFSET
    return _ID_CHECK_CHARS[total % 11]


@lru_cache(maxsize=65536)  # birth dates repeat: an import of 200,000 rows has far fewer
def _parse_birth_date(digits: str, today: datetime.date) -> datetime.date:
    try:
        birth = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidIdNumber(f"身份证号码出生日期无效：{digits} 不是有效日期") from None
    if birth > today:
        raise InvalidIdNumber(
            f"身份证号码出生日期无效：{birth.isoformat()} 晚于今天（{today.isoformat()}）"
        )
    if birth < MIN_BIRTH_DATE:
        raise InvalidIdNumber(
            f"身份证号码出生日期无效：{birth.isoformat()} 早于 {MIN_BIRTH_DATE.isoformat()}"
        )
    return birth


def parse_id_number(value: str, *, today: datetime.date | None = None) -> IdNumber:
    """Validate a citizen ID number and return it normalised to 18 characters.

    Accepts 18-character numbers (lower-case ``x`` allowed) and legacy 15-digit numbers,
    which are upgraded by inserting "19" before YYMMDD and appending the check digit.
    Only the province prefix of the address code is checked, never the county: the code is
    the one valid when the number was issued (REFERENCE §6.1).
    """
    if not isinstance(value, str):
        raise InvalidIdNumber(f"身份证号码必须是字符串，实为 {type(value).__name__}")
    text = value.strip().upper()
    if not text:
        raise InvalidIdNumber("身份证号码不能为空")

    if len(text) == 15:
        # Legacy number: RRRRRR YYMMDD SSS, no check digit (REFERENCE §6.1).
        if not _DIGITS.issuperset(text):
            raise InvalidIdNumber("身份证号码含非法字符：15 位旧号码必须全部为数字")
        first17 = f"{text[:6]}19{text[6:]}"
        expected = None
    elif len(text) == 18:
        first17, given = text[:17], text[17]
        if not _DIGITS.issuperset(first17) or not (given in _DIGITS or given == "X"):
            raise InvalidIdNumber(
                "身份证号码含非法字符：前 17 位必须为数字，第 18 位必须为数字或 X"
            )
        expected = given
    else:
        raise InvalidIdNumber(
            f"身份证号码长度错误：应为 18 位（或旧版 15 位），实为 {len(text)} 位"
        )

    if first17[:2] not in PROVINCE_CODES:
        raise InvalidIdNumber(f"身份证号码省份代码无效：{first17[:2]} 不是有效的省级行政区划代码")
    birth = _parse_birth_date(first17[6:14], today if today is not None else datetime.date.today())

    check = _check_char(first17)  # first17 is 17 ASCII digits (checked above)
    if expected is not None and expected != check:
        raise InvalidIdNumber(f"身份证号码校验码错误：应为 {check}，实为 {expected}")

    return IdNumber(
        number=first17 + check,
        birth_date=birth,
        sex="M" if int(first17[16]) % 2 else "F",
        region_code=first17[:6],
    )


# ---------------------------------------------------------------------------
# Unified social credit code — REFERENCE §6.4 / GB 32100-2015
# ---------------------------------------------------------------------------

# 31 characters: digits and upper-case letters without I, O, Z, S, V.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUES = {ch: i for i, ch in enumerate(CREDIT_CODE_CHARSET)}
# W_i = 3^(i-1) mod 31 = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28].
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# Position 1, 登记管理部门码. REFERENCE §6.4 names 1, 5, 9 and Y; the rest are the other
# authorities published in GB 32100-2015 annex A: 2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教,
# 8 工会, A 中央军委改革和编制办公室, N 农业. Position 2 (机构类别码) is only checked against
# the charset, because its valid values depend on the authority and are not all in REFERENCE.
CREDIT_CODE_AUTHORITIES: MappingProxyType[str, str] = MappingProxyType(
    {
        "1": "机构编制",
        "2": "外交",
        "3": "司法行政",
        "4": "文化",
        "5": "民政",
        "6": "旅游",
        "7": "宗教",
        "8": "工会",
        "9": "市场监管（工商）",
        "A": "中央军委改革和编制办公室",
        "N": "农业",
        "Y": "其他",
    }
)

# GB 11714 organisation code: 0-9 → 0-9, A → 10 … Z → 35; weights on the first 8 characters.
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_VALUES = {ch: i for i, ch in enumerate(_ORG_ALPHABET)}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check_char(first8: str) -> str:
    """Return the GB 11714 check character for an 8-character organisation code body.

    c = 11 − (Σ value_i × W_i mod 11); 10 is written "X" and 11 is written "0".
    """
    if not isinstance(first8, str) or len(first8) != 8 or not set(_ORG_VALUES).issuperset(first8):
        raise InvalidCreditCode("计算组织机构代码校验码需要 8 位数字或大写字母本体代码")
    total = sum(_ORG_VALUES[ch] * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def credit_code_check_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters of a credit code.

    c = 31 − (Σ value_i × W_i mod 31), with 31 → 0; the result is CREDIT_CODE_CHARSET[c].
    """
    if (
        not isinstance(first17, str)
        or len(first17) != 17
        or not set(_CREDIT_VALUES).issuperset(first17)
    ):
        raise InvalidCreditCode("计算统一社会信用代码校验码需要 17 位字符集内的本体代码")
    total = sum(_CREDIT_VALUES[ch] * w for ch, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def parse_credit_code(value: str) -> str:
    """Validate a unified social credit code and return it stripped and upper-cased."""
    if not isinstance(value, str):
        raise InvalidCreditCode(f"统一社会信用代码必须是字符串，实为 {type(value).__name__}")
    code = value.strip().upper()
    if not code:
        raise InvalidCreditCode("统一社会信用代码不能为空")
    if len(code) != 18:
        raise InvalidCreditCode(f"统一社会信用代码长度错误：应为 18 位，实为 {len(code)} 位")
    for pos, ch in enumerate(code, start=1):
        if ch not in _CREDIT_VALUES:
            raise InvalidCreditCode(
                f"统一社会信用代码含非法字符：第 {pos} 位“{ch}”不在允许的字符集内"
                "（数字和除 I、O、Z、S、V 以外的大写字母）"
            )
    if code[0] not in CREDIT_CODE_AUTHORITIES:
        raise InvalidCreditCode(f"统一社会信用代码登记管理部门码无效：{code[0]}")
    if not _DIGITS.issuperset(code[2:8]):
        raise InvalidCreditCode(
            f"统一社会信用代码登记管理机关行政区划码无效：第 3–8 位应为 6 位数字，实为 {code[2:8]}"
        )
    org_check = org_code_check_char(code[8:16])
    if code[16] != org_check:
        raise InvalidCreditCode(
            f"统一社会信用代码中的组织机构代码校验码错误：第 17 位应为 {org_check}，实为 {code[16]}"
        )
    check = credit_code_check_char(code[:17])
    if code[17] != check:
        raise InvalidCreditCode(f"统一社会信用代码校验码错误：应为 {check}，实为 {code[17]}")
    return code
