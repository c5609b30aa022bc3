"""Policy indicators (issue "Regulators' workspace" item 2): a registry of `base.Indicator`.

Each group module of this package (one per source: `residents`, `cooperation`, ...) registers
its indicators when imported; `load()` (called from `ComplianceConfig.ready`) imports every
module here except the framework's own. Formulas: docs/indicators.md.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module

from .base import Indicator

__all__ = ["all_indicators", "get", "load", "register", "unregister"]

_REGISTRY: dict[str, Indicator] = {}

_FRAMEWORK = frozenset({"base", "rollup"})


def register(indicator: Indicator) -> Indicator:
    if indicator.code in _REGISTRY and _REGISTRY[indicator.code] is not indicator:
        raise ValueError(f"指标代码重复：{indicator.code}")
    _REGISTRY[indicator.code] = indicator
    return indicator


def unregister(code: str) -> None:
    _REGISTRY.pop(code, None)


def get(code: str) -> Indicator | None:
    return _REGISTRY.get(code)


def all_indicators() -> list[Indicator]:
    return sorted(_REGISTRY.values(), key=lambda i: (i.order, i.code))


def load() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name not in _FRAMEWORK and not module.name.startswith("_"):
            import_module(f"{__name__}.{module.name}")
