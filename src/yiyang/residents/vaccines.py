"""COVID vaccine products and their primary series (REFERENCE §1.4: "全程接种" is product-specific;
general knowledge, UNCONFIRMED as a policy definition — kept as data here)."""

from __future__ import annotations

PRIMARY_SERIES: dict[str, int] = {
    "新冠病毒灭活疫苗（Vero细胞）": 2,
    "重组新冠病毒疫苗（5型腺病毒载体）": 1,
    "重组新冠病毒蛋白疫苗（CHO细胞）": 3,
    "吸入用重组新冠病毒疫苗（5型腺病毒载体）": 1,
}
DEFAULT_SERIES = 2  # an unknown product is judged like the commonest (inactivated, 2 doses)


def primary_series(product: str) -> int:
    return PRIMARY_SERIES.get(product, DEFAULT_SERIES)
