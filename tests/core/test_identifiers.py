"""Tests for yiyang.core.identifiers (REFERENCE §6.1, §6.2, §6.4). No Django needed.

Expected values come from the REFERENCE test vectors, from hand calculation, or from the tiny
independent reference implementations below (literal weight tables copied from REFERENCE) —
never from the code under test.
"""

from __future__ import annotations

import dataclasses
import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.core.identifiers import (
    IdNumber,
    InvalidCreditCode,
    InvalidIdNumber,
    credit_code_check_char,
    id_check_digit,
    org_code_check_char,
    parse_credit_code,
    parse_id_number,
)

# ---------------------------------------------------------------------------
# Independent reference implementations (REFERENCE §6.1, §6.4)
# ---------------------------------------------------------------------------

REF_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
REF_ID_CHECK = "10X98765432"


def ref_id_check(first17: str) -> str:
    return REF_ID_CHECK[sum(int(d) * w for d, w in zip(first17, REF_ID_WEIGHTS, strict=True)) % 11]


REF_CC_SET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
REF_CC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
REF_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def ref_cc_check(first17: str) -> str:
    c = (
        31
        - sum(REF_CC_SET.index(ch) * w for ch, w in zip(first17, REF_CC_WEIGHTS, strict=True)) % 31
    )
    return REF_CC_SET[0 if c == 31 else c]


def ref_org_check(first8: str) -> str:
    # int(ch, 36) maps 0-9 → 0-9 and A → 10 … Z → 35, exactly the GB 11714 value table.
    c = 11 - sum(int(ch, 36) * w for ch, w in zip(first8, REF_ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def ref_credit_code(authority: str, kind: str, region: str, org_body: str) -> str:
    first17 = authority + kind + region + org_body + ref_org_check(org_body)
    return first17 + ref_cc_check(first17)


def ref_id(prefix6: str, birth: str, seq: str) -> str:
    first17 = prefix6 + birth + seq
    return first17 + ref_id_check(first17)


# REFERENCE §6.2 province codes, plus 83 (台湾居民居住证, §6.1).
PROVINCES = [
    "11", "12", "13", "14", "15",
    "21", "22", "23",
    "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46",
    "50", "51", "52", "53", "54",
    "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
]  # fmt: skip
NON_PROVINCES = sorted({f"{i:02d}" for i in range(100)} - set(PROVINCES))
AUTHORITIES = list("123456789ANY")

VALID_IDS = ["11010519491231002X", "440524188001010014", "110105199003071239"]
VALID_CREDIT_CODES = ["91350100M000100Y43", "91110000802100433B"]
TODAY = datetime.date(2025, 1, 1)

CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_chinese(exc: pytest.ExceptionInfo[BaseException], *words: str) -> None:
    msg = str(exc.value)
    assert CJK.search(msg), msg
    for word in words:
        assert word in msg, msg


def test_reference_implementations_reproduce_reference_vectors() -> None:
    for number in VALID_IDS:
        assert ref_id_check(number[:17]) == number[17]
    for code in VALID_CREDIT_CODES:
        assert ref_org_check(code[8:16]) == code[16]
        assert ref_cc_check(code[:17]) == code[17]


# ---------------------------------------------------------------------------
# Citizen ID number — table tests
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "birth", "sex", "region"),
    [
        ("11010519491231002X", datetime.date(1949, 12, 31), "F", "110105"),  # 17th digit 2
        ("440524188001010014", datetime.date(1880, 1, 1), "M", "440524"),  # 17th digit 1
        ("110105199003071239", datetime.date(1990, 3, 7), "M", "110105"),  # 17th digit 3
    ],
)
def test_reference_vectors_valid(value: str, birth: datetime.date, sex: str, region: str) -> None:
    result = parse_id_number(value)
    assert result == IdNumber(number=value, birth_date=birth, sex=sex, region_code=region)


@pytest.mark.parametrize("value", VALID_IDS)
@pytest.mark.parametrize("pos", range(18))
def test_changing_any_one_character_is_rejected(value: str, pos: int) -> None:
    alphabet = "0123456789X" if pos == 17 else "0123456789"
    for ch in alphabet.replace(value[pos], ""):
        mutated = value[:pos] + ch + value[pos + 1 :]
        with pytest.raises(InvalidIdNumber):
            parse_id_number(mutated)


@pytest.mark.parametrize(
    ("legacy", "expected", "sex"),
    [
        # The standard's own examples, minus "19" and the check digit:
        ("110105491231002", "11010519491231002X", "F"),
        ("110105900307123", "110105199003071239", "M"),
        # 44052419800101001 · W = 28+36+0+25+16+16+2+9+48+0+0+9+0+5+0+0+2 = 196;
        # 196 mod 11 = 9 → "10X98765432"[9] = "3".
        ("440524800101001", "440524198001010013", "M"),
        # 32010619850615062 · W = 21+18+0+5+0+24+2+9+48+15+0+54+10+25+0+24+4 = 259;
        # 259 mod 11 = 6 → "6"; 15th legacy digit 2 → female.
        ("320106850615062", "320106198506150626", "F"),
    ],
)
def test_legacy_15_digit_upgrade(legacy: str, expected: str, sex: str) -> None:
    result = parse_id_number(legacy)
    assert result.number == expected
    assert result.sex == sex
    assert result.region_code == legacy[:6]


@pytest.mark.parametrize(
    ("value", "sex"),
    [
        ("110105199003071239", "M"),  # 17th digit 3
        ("11010519491231002X", "F"),  # 17th digit 2
        (ref_id("110105", "19900307", "120"), "F"),  # 17th digit 0 is even → female
        (ref_id("110105", "19900307", "129"), "M"),
        (ref_id("110105", "19900307", "918"), "F"),  # only the 17th digit counts
    ],
)
def test_sex_from_17th_digit(value: str, sex: str) -> None:
    assert parse_id_number(value).sex == sex


def test_lowercase_x_and_surrounding_whitespace() -> None:
    assert parse_id_number(" 11010519491231002x\n").number == "11010519491231002X"
    assert parse_id_number("\t440524188001010014  ").number == "440524188001010014"


def test_masked() -> None:
    assert parse_id_number("110105199003071239").masked == "110105********1239"
    assert parse_id_number("11010519491231002x").masked == "110105********002X"


def test_repr_hides_full_number_and_is_frozen() -> None:
    result = parse_id_number("110105199003071239")
    assert "110105199003071239" not in repr(result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.sex = "F"  # type: ignore[misc]


@pytest.mark.parametrize(
    "prefix",
    [
        "419999",  # made-up county in 河南
        "410000",  # province-level code used as address code
        "110108",  # real but, e.g., renamed/merged counties must still pass
        "510199",
        "810000",  # 香港居民居住证
        "820000",  # 澳门居民居住证
        "830000",  # 台湾居民居住证 (§6.1)
        "710000",
    ],
)
def test_unknown_or_special_county_codes_accepted(prefix: str) -> None:
    value = ref_id(prefix, "19900101", "001")
    assert parse_id_number(value).region_code == prefix


@pytest.mark.parametrize("province", NON_PROVINCES)
def test_bad_province_rejected(province: str) -> None:
    with pytest.raises(InvalidIdNumber) as exc:
        parse_id_number(ref_id(province + "0101", "19900101", "001"))
    assert_chinese(exc, "省份代码")


def test_bad_province_rejected_for_legacy_numbers() -> None:
    with pytest.raises(InvalidIdNumber) as exc:
        parse_id_number("990101900101001")
    assert_chinese(exc, "省份代码")


@pytest.mark.parametrize(
    "birth",
    [
        "19000229",  # 1900 is not a leap year
        "20230229",
        "19900230",
        "19901301",
        "19900001",
        "19900100",
        "19900431",
    ],
)
def test_impossible_dates_rejected(birth: str) -> None:
    with pytest.raises(InvalidIdNumber) as exc:
        parse_id_number(ref_id("110105", birth, "001"), today=TODAY)
    assert_chinese(exc, "出生日期")


def test_legacy_bad_date_rejected() -> None:
    with pytest.raises(InvalidIdNumber) as exc:
        parse_id_number("110105000229001")  # 1900-02-29
    assert_chinese(exc, "出生日期")


def test_leap_day_accepted() -> None:
    assert parse_id_number(ref_id("110105", "20000229", "001"), today=TODAY).birth_date == (
        datetime.date(2000, 2, 29)
    )


def test_future_birth_date_rejected_relative_to_today() -> None:
    today = datetime.date(2020, 1, 1)
    assert parse_id_number(ref_id("110105", "20200101", "001"), today=today).birth_date == today
    with pytest.raises(InvalidIdNumber) as exc:
        parse_id_number(ref_id("110105", "20200102", "001"), today=today)
    assert_chinese(exc, "出生日期")


def test_future_birth_date_rejected_with_default_today() -> None:
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(InvalidIdNumber):
        parse_id_number(ref_id("110105", tomorrow.strftime("%Y%m%d"), "001"))


def test_absurdly_old_birth_date_rejected() -> None:
    assert parse_id_number(ref_id("110105", "18700101", "001")).birth_date.year == 1870
    for birth in ["18691231", "10000101", "00010101"]:
        with pytest.raises(InvalidIdNumber) as exc:
            parse_id_number(ref_id("110105", birth, "001"))
        assert_chinese(exc, "出生日期")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "1101051990030712",
        "11010519900307123",
        "1101051990030712390",
        "11010549123100",
        "1101054912310020",
    ],
)
def test_wrong_length_rejected(value: str) -> None:
    with pytest.raises(InvalidIdNumber) as exc:
        parse_id_number(value)
    assert_chinese(exc)
    if value.strip():
        assert_chinese(exc, "长度")


@pytest.mark.parametrize(
    "value",
    [
        "1101051990030712X9",  # X not in last position
        "11010519900307123Y",
        "1101051990 3071239",  # internal space
        "１１０１０５１９９００３０７１２３９",  # full-width digits
        "١١٠١٠٥١٩٩٠٠٣٠٧١٢٣٩",  # Arabic-Indic digits (str.isdigit() is True)
        "11010549123100X",  # legacy numbers are all digits
        "11010549123100A",
    ],
)
def test_bad_characters_rejected(value: str) -> None:
    with pytest.raises(InvalidIdNumber) as exc:
        parse_id_number(value)
    assert_chinese(exc, "字符")


def test_check_digit_message() -> None:
    with pytest.raises(InvalidIdNumber) as exc:
        parse_id_number("110105199003071233")
    assert str(exc.value) == "身份证号码校验码错误：应为 9，实为 3"


@pytest.mark.parametrize("value", [None, 110105199003071239, b"110105199003071239", ["1"]])
def test_non_string_rejected(value: object) -> None:
    with pytest.raises(InvalidIdNumber) as exc:
        parse_id_number(value)  # type: ignore[arg-type]
    assert_chinese(exc)


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),
        ("44052418800101001", "4"),
        ("11010519900307123", "9"),
        ("00000000000000000", "1"),  # S = 0 → r = 0 → "1"
        ("00000000000000001", "X"),  # S = 1 × 2 = 2 → r = 2 → "X"
        ("10000000000000000", "5"),  # S = 1 × 7 = 7 → r = 7 → "5"
        ("00000000000000005", "2"),  # S = 5 × 2 = 10 → r = 10 → "2"
    ],
)
def test_id_check_digit_table(first17: str, check: str) -> None:
    assert id_check_digit(first17) == check


@pytest.mark.parametrize("bad", ["", "1101051990030712", "110105199003071239", "1101051990030712X"])
def test_id_check_digit_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        id_check_digit(bad)


# ---------------------------------------------------------------------------
# Citizen ID number — property tests
# ---------------------------------------------------------------------------


@st.composite
def id_parts(draw: st.DrawFn) -> tuple[str, datetime.date, str]:
    prefix = draw(st.sampled_from(PROVINCES)) + f"{draw(st.integers(0, 9999)):04d}"
    birth = draw(st.dates(datetime.date(1870, 1, 1), TODAY))
    seq = f"{draw(st.integers(0, 999)):03d}"
    return prefix, birth, seq


valid_ids = id_parts().map(lambda p: ref_id(p[0], p[1].strftime("%Y%m%d"), p[2]))


@given(id_parts())
def test_property_valid_ids_round_trip(parts: tuple[str, datetime.date, str]) -> None:
    prefix, birth, seq = parts
    number = ref_id(prefix, birth.strftime("%Y%m%d"), seq)
    result = parse_id_number(number.lower(), today=TODAY)
    assert result.number == number
    assert result.birth_date == birth
    assert result.region_code == prefix
    assert result.sex == ("M" if int(seq[2]) % 2 == 1 else "F")
    assert result.masked == number[:6] + "********" + number[14:]


@given(id_parts().filter(lambda p: 1900 <= p[1].year <= 1999))
def test_property_legacy_upgrade(parts: tuple[str, datetime.date, str]) -> None:
    prefix, birth, seq = parts
    legacy = prefix + birth.strftime("%y%m%d") + seq
    result = parse_id_number(legacy, today=TODAY)
    assert result.number == ref_id(prefix, birth.strftime("%Y%m%d"), seq)
    assert result.birth_date == birth
    assert result.sex == ("M" if int(seq[2]) % 2 == 1 else "F")


@given(valid_ids, st.integers(0, 16), st.integers(1, 9))
def test_property_single_digit_substitution_rejected(number: str, pos: int, delta: int) -> None:
    mutated = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    with pytest.raises(InvalidIdNumber):
        parse_id_number(mutated, today=TODAY)


@given(valid_ids, st.sampled_from("0123456789X"))
def test_property_wrong_check_char_rejected(number: str, ch: str) -> None:
    mutated = number[:17] + ch
    if ch == number[17]:
        assert parse_id_number(mutated, today=TODAY).number == number
    else:
        with pytest.raises(InvalidIdNumber) as exc:
            parse_id_number(mutated, today=TODAY)
        assert str(exc.value) == f"身份证号码校验码错误：应为 {number[17]}，实为 {ch}"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_property_id_check_digit_matches_reference(first17: str) -> None:
    assert id_check_digit(first17) == ref_id_check(first17)


# ---------------------------------------------------------------------------
# Unified social credit code — table tests
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_credit_reference_vectors_valid(code: str) -> None:
    assert parse_credit_code(code) == code


def test_credit_code_normalised() -> None:
    assert parse_credit_code("  91350100m000100y43\n") == "91350100M000100Y43"
    assert parse_credit_code("91110000802100433b") == "91110000802100433B"


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
@pytest.mark.parametrize("pos", range(18))
def test_credit_changing_any_one_character_is_rejected(code: str, pos: int) -> None:
    for ch in REF_CC_SET.replace(code[pos], ""):
        mutated = code[:pos] + ch + code[pos + 1 :]
        with pytest.raises(InvalidCreditCode):
            parse_credit_code(mutated)


def test_credit_check_helpers_on_reference_vectors() -> None:
    assert org_code_check_char("M000100Y") == "4"
    assert org_code_check_char("80210043") == "3"
    assert credit_code_check_char("91350100M000100Y4") == "3"
    assert credit_code_check_char("91110000802100433") == "B"


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("00000000", "0"),  # Σ = 0 → c = 11 → "0"
        ("00000006", "X"),  # Σ = 6 × 2 = 12, 12 mod 11 = 1 → c = 10 → "X"
        ("00000001", "9"),  # Σ = 2 → c = 9
        ("A0000000", "3"),  # Σ = 10 × 3 = 30, 30 mod 11 = 8 → c = 3
    ],
)
def test_org_code_check_char_table(body: str, check: str) -> None:
    assert org_code_check_char(body) == check


@pytest.mark.parametrize("authority", AUTHORITIES)
def test_credit_known_authorities_accepted(authority: str) -> None:
    code = ref_credit_code(authority, "2", "330100", "MA2XY0B1")
    assert parse_credit_code(code) == code


@pytest.mark.parametrize("authority", sorted(set(REF_CC_SET) - set(AUTHORITIES)))
def test_credit_unknown_authority_rejected(authority: str) -> None:
    with pytest.raises(InvalidCreditCode) as exc:
        parse_credit_code(ref_credit_code(authority, "2", "330100", "MA2XY0B1"))
    assert_chinese(exc, "登记管理部门码")


@pytest.mark.parametrize("region", ["3301A0", "ABCDEF", "Y30100"])
def test_credit_region_must_be_digits(region: str) -> None:
    with pytest.raises(InvalidCreditCode) as exc:
        parse_credit_code(ref_credit_code("5", "2", region, "MA2XY0B1"))
    assert_chinese(exc, "行政区划码")


def test_credit_bad_org_check_rejected_even_if_final_check_matches() -> None:
    first17 = "91350100" + "M000100Y" + "5"  # organisation code check should be 4
    with pytest.raises(InvalidCreditCode) as exc:
        parse_credit_code(first17 + ref_cc_check(first17))
    assert_chinese(exc, "组织机构代码")


def test_credit_check_char_message() -> None:
    with pytest.raises(InvalidCreditCode) as exc:
        parse_credit_code("91350100M000100Y44")
    assert str(exc.value) == "统一社会信用代码校验码错误：应为 3，实为 4"


@pytest.mark.parametrize("value", ["", "9135010M000100Y43", "91350100M000100Y431"])
def test_credit_wrong_length_rejected(value: str) -> None:
    with pytest.raises(InvalidCreditCode) as exc:
        parse_credit_code(value)
    assert_chinese(exc)
    if value:
        assert_chinese(exc, "长度")


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "-", " ", "Ａ", "中"])
def test_credit_bad_characters_rejected(bad: str) -> None:
    with pytest.raises(InvalidCreditCode) as exc:
        code = VALID_CREDIT_CODES[0]
        parse_credit_code(code[:10] + bad + code[11:])
    assert_chinese(exc, "字符")


@pytest.mark.parametrize("value", [None, 91350100, b"91350100M000100Y43"])
def test_credit_non_string_rejected(value: object) -> None:
    with pytest.raises(InvalidCreditCode) as exc:
        parse_credit_code(value)  # type: ignore[arg-type]
    assert_chinese(exc)


@pytest.mark.parametrize("bad", ["", "9135010", "91350100M000100Y4X", "91350100I000100Y4"])
def test_credit_check_char_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        credit_code_check_char(bad)


@pytest.mark.parametrize("bad", ["", "M000100", "M000100Y4", "m000100y", "M000-00Y"])
def test_org_code_check_char_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        org_code_check_char(bad)


# ---------------------------------------------------------------------------
# Unified social credit code — property tests
# ---------------------------------------------------------------------------

valid_credit_codes = st.builds(
    ref_credit_code,
    st.sampled_from(AUTHORITIES),
    st.sampled_from(REF_CC_SET),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=REF_CC_SET, min_size=8, max_size=8),
)


@given(valid_credit_codes)
def test_property_valid_credit_codes_parse(code: str) -> None:
    assert parse_credit_code(code.lower()) == code


@given(valid_credit_codes, st.integers(0, 16), st.integers(1, 30))
def test_property_credit_single_substitution_rejected(code: str, pos: int, delta: int) -> None:
    ch = REF_CC_SET[(REF_CC_SET.index(code[pos]) + delta) % 31]
    with pytest.raises(InvalidCreditCode):
        parse_credit_code(code[:pos] + ch + code[pos + 1 :])


@given(st.text(alphabet=REF_CC_SET, min_size=17, max_size=17))
def test_property_credit_check_char_matches_reference(first17: str) -> None:
    assert credit_code_check_char(first17) == ref_cc_check(first17)


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=8))
def test_property_org_check_char_matches_reference(first8: str) -> None:
    assert org_code_check_char(first8) == ref_org_check(first8)
