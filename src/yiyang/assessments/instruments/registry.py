"""Every instrument the platform offers, by code.

Each module listed here defines ``SCALE``, an instance of :class:`~.base.Scale`.  Records store
the code and the version, so a code is never reused for a different instrument.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from .base import Scale

# Order is the order of the "new assessment" menu.
_MODULES: tuple[str, ...] = (
    "ability",
    "barthel",
    "morse",
    "braden",
    "mmse",
    "minicog",
    "ad8",
    "gds15",
    "mnasf",
    "selfcare",
    "cogscreen",
    "moodscreen",
    "tcm",
)


@cache
def scales() -> dict[str, Scale]:
    found: dict[str, Scale] = {}
    for name in _MODULES:
        scale: Scale = import_module(f"{__package__}.{name}").SCALE
        if scale.code in found:
            raise RuntimeError(f"instrument code {scale.code!r} used twice")
        found[scale.code] = scale
    return found


def get(code: str) -> Scale:
    try:
        return scales()[code]
    except KeyError:
        raise ValueError(f"未知的评估量表：{code!r}") from None


def choices() -> list[tuple[str, str]]:
    return [(code, scale.name) for code, scale in scales().items()]
