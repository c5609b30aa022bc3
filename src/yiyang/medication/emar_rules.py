"""Rules of the medicine stock and the administration record (pure Python, no Django): how an
order's dose maps to stock units, the dose window and lateness, expiry, days of stock left, the
choice of batch, and the cells of the monthly MAR (issue 6 item 5; seed 002 §二十二 "规范药品收取、
预备、派发 … 结合服药记录进行用药监测").

**Dose → stock units.**  Stock is counted in the unit the medicine is handed over in (片, 粒, 支,
袋, 喷, ml, U …), with exact decimals (never floats).  An order's dose becomes stock units by
:func:`units_per_dose`:

* the dose names the stock unit: "1 片" → 1, "0.5 片" → 0.5, "12 U" with unit U → 12;
  "18 μg（1 粒）" → 1 (the count in brackets);
* the dose is a mass/volume and the batch's strength is per unit of the same kind:
  "5 mg" with strength "5 mg" → 1, "0.25 g" with strength "0.5 g" → 0.5, "2.5 mg" with
  "5 mg" → 0.5 (mg/g/μg and ml/l are converted);
* otherwise (a range "1～2 喷", no strength) there is no default: the nurse enters the amount.

A dose is recorded with its quantity in stock units; only quantities in steps of 0.25 unit are
accepted (a quarter tablet is the smallest split a ward makes; our choice, UNCONFIRMED).

**Window.**  A scheduled dose given more than ``window`` minutes before or after its time is
*late* (超出给药时间窗).  Default ±60 minutes (``MEDICATION_DOSE_WINDOW_MINUTES``), the common
hospital "30–60 minutes" rule; UNCONFIRMED for Chinese care homes (no seed states it).

**Expiry.**  A batch past its expiry date (the date itself still usable) cannot be given; a batch
expiring within ``near_days`` (default 30, ``MEDICATION_NEAR_EXPIRY_DAYS``, UNCONFIRMED) is
flagged.  **Low stock**: fewer than ``low_days`` days left at the orders' rate (default 7,
``MEDICATION_LOW_STOCK_DAYS``, UNCONFIRMED: long enough for a family to bring more).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

__all__ = [
    "QUANTUM",
    "CellCode",
    "ExpiryState",
    "RuleError",
    "Status",
    "Batch",
    "check_quantity",
    "days_left",
    "daily_units",
    "expiry_state",
    "is_late",
    "minutes_off",
    "pick_batch",
    "units_per_dose",
]

QUANTUM = Decimal("0.25")
MAX_QUANTITY = Decimal("100000")


class RuleError(ValueError):
    """Bad input; `field` names the input, the message is Chinese."""

    def __init__(self, field: str, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.field, self.message, self.code = field, message, code


class Status(StrEnum):
    GIVEN = "given"
    HELD = "held"
    REFUSED = "refused"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return {"given": "已给药", "held": "暂缓", "refused": "拒服", "missed": "漏给"}[self.value]


# ---- dose → stock units ---------------------------------------------------------------------

_NUMBER = r"(\d+(?:\.\d+)?)"
_AMOUNT = re.compile(rf"^\s*{_NUMBER}\s*([^\d\s（）()～~\-—/]+)\s*$")
_BRACKET = re.compile(rf"[（(]\s*{_NUMBER}\s*([^\d\s（）()～~\-—/]+)\s*[）)]")
# Mass and volume units in a common base (μg, μl).
_MEASURE = {"mg": ("mass", Decimal(1000)), "g": ("mass", Decimal(1000000)),
            "μg": ("mass", Decimal(1)), "ug": ("mass", Decimal(1)), "mcg": ("mass", Decimal(1)),
            "ml": ("volume", Decimal(1000)), "l": ("volume", Decimal(1000000)),
            "毫克": ("mass", Decimal(1000)), "克": ("mass", Decimal(1000000)),
            "微克": ("mass", Decimal(1)), "毫升": ("volume", Decimal(1000))}


def _amount(text: str) -> tuple[Decimal, str] | None:
    match = _AMOUNT.match(text or "")
    if match is None:
        return None
    return Decimal(match.group(1)), match.group(2).strip()


def _measure(number: Decimal, unit: str) -> tuple[str, Decimal] | None:
    spec = _MEASURE.get(unit.lower()) or _MEASURE.get(unit)
    if spec is None:
        return None
    return spec[0], number * spec[1]


def _strength_amount(strength: str) -> tuple[Decimal, str] | None:
    """"5 mg", "5 mg/片", "0.5 g × 24 片" → the amount per unit."""
    head = re.split(r"[/×xX*]", strength or "", maxsplit=1)[0]
    return _amount(head)


def units_per_dose(dose: str, unit: str, strength: str = "") -> Decimal | None:
    """Stock units one dose takes, or None when the dose does not say (see module doc)."""
    unit = (unit or "").strip()
    text = (dose or "").strip()
    plain = _amount(text)
    if plain is not None and plain[1] == unit:
        return plain[0]
    bracket = _BRACKET.search(text)
    if bracket is not None and bracket.group(2).strip() == unit:
        return Decimal(bracket.group(1))
    head = _amount(_BRACKET.sub("", text).strip())
    per_unit = _strength_amount(strength)
    if head is None or per_unit is None:
        return None
    dose_measure, unit_measure = _measure(*head), _measure(*per_unit)
    if dose_measure is None or unit_measure is None or dose_measure[0] != unit_measure[0]:
        return None
    if unit_measure[1] == 0:
        return None
    ratio = dose_measure[1] / unit_measure[1]
    if ratio % QUANTUM:
        return None  # e.g. 7 mg from 5 mg tablets: the nurse decides
    return ratio.normalize() if ratio == ratio.to_integral() else ratio


def check_quantity(value: object, *, field: str = "quantity", label: str = "数量",
                   allow_zero: bool = False) -> Decimal:
    """A quantity of stock units: a decimal, positive (or zero), in steps of 0.25."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise RuleError(field, f"{label}应为数字", "invalid_quantity") from exc
    if not number.is_finite():
        raise RuleError(field, f"{label}应为数字", "invalid_quantity")
    if number < 0 or (number == 0 and not allow_zero):
        raise RuleError(field, f"{label}应大于 0", "invalid_quantity")
    if number > MAX_QUANTITY:
        raise RuleError(field, f"{label}过大", "invalid_quantity")
    if number % QUANTUM:
        raise RuleError(field, f"{label}最小按 1/4 单位计（如 0.25、0.5、1）", "invalid_quantity")
    return number


# ---- window -----------------------------------------------------------------------------------

def minutes_off(scheduled: datetime, given: datetime) -> int:
    """Signed minutes between the scheduled time and the actual time (positive: after)."""
    return int((given - scheduled).total_seconds() // 60)


def is_late(scheduled: datetime | None, given: datetime, window: int = 60) -> bool:
    """Outside ±window minutes of the scheduled time (PRN doses have no schedule: never)."""
    if scheduled is None:
        return False
    return abs((given - scheduled).total_seconds()) > window * 60


# ---- expiry and days left -------------------------------------------------------------------

class ExpiryState(StrEnum):
    OK = "ok"
    NEAR = "near"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return {"ok": "有效", "near": "近效期", "expired": "已过期"}[self.value]


def expiry_state(expires_on: date, today: date, near_days: int = 30) -> ExpiryState:
    if today > expires_on:
        return ExpiryState.EXPIRED
    if (expires_on - today).days <= near_days:
        return ExpiryState.NEAR
    return ExpiryState.OK


def daily_units(per_dose: Decimal | None, doses_per_day: Decimal) -> Decimal | None:
    if per_dose is None or doses_per_day <= 0:
        return None
    return per_dose * doses_per_day


def days_left(on_hand: Decimal, per_day: Decimal | None) -> int | None:
    """Whole days the stock lasts at `per_day` units a day (None: no rate, e.g. PRN only)."""
    if per_day is None or per_day <= 0:
        return None
    return int(on_hand // per_day)


# ---- batch choice -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Batch:
    id: int
    on_hand: Decimal
    expires_on: date


def pick_batch(batches: Iterable[Batch], quantity: Decimal, day: date) -> Batch | None:
    """First-expiry-first-out: the unexpired batch expiring soonest that holds the quantity."""
    usable = [b for b in batches if b.expires_on >= day and b.on_hand >= quantity]
    return min(usable, key=lambda b: (b.expires_on, b.id), default=None)


# ---- MAR cells --------------------------------------------------------------------------------

class CellCode(StrEnum):
    GIVEN = "√"
    LATE = "迟"
    HELD = "缓"
    REFUSED = "拒"
    MISSED = "漏"
    OPEN = "未记"  # a past dose with no record
    NONE = ""


def cell_code(status: str | None, late: bool, due: bool, past: bool) -> CellCode:
    """What a MAR cell shows for one scheduled dose."""
    if status is None:
        return CellCode.OPEN if due and past else CellCode.NONE
    if status == Status.GIVEN:
        return CellCode.LATE if late else CellCode.GIVEN
    return {Status.HELD: CellCode.HELD, Status.REFUSED: CellCode.REFUSED,
            Status.MISSED: CellCode.MISSED}[Status(status)]


def month_days(year: int, month: int) -> Sequence[date]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return [first + timedelta(days=i) for i in range((nxt - first).days)]
