"""Small input checks shared by services; each raises `ValidationFailed` in Chinese."""

from __future__ import annotations

import re

from yiyang.core.errors import ValidationFailed

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s-]")


def clean_mobile(value: str | None, *, field: str = "phone") -> str:
    """Mainland mobile number (11 digits starting 13–19); empty stays empty."""
    if (  # already clean, as nearly every stored or imported number is: no regex needed
        value
        and len(value) == 11
        and value.isascii()
        and value.isdigit()
        and value[0] == "1"
        and value[1] in "3456789"
    ):
        return value
    digits = _SEPARATORS.sub("", value) if value else ""
    if digits.startswith("+86"):
        digits = digits[3:]
    if digits and not _MOBILE.match(digits):
        raise ValidationFailed("invalid_phone", "手机号码应为 11 位数字且以 1 开头", field=field)
    return digits


def clean_text(
    value: str | None, *, field: str, label: str, max_length: int, required: bool = True
) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed("required", f"请填写{label}", field=field)
    if len(text) > max_length:
        raise ValidationFailed("too_long", f"{label}不能超过 {max_length} 个字", field=field)
    return text


def clean_int(value: object, *, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("not_a_number", f"{label}应为整数", field=field) from exc
    if not low <= number <= high:
        raise ValidationFailed("out_of_range", f"{label}应在 {low} 到 {high} 之间", field=field)
    return number
