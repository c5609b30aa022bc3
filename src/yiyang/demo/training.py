"""Demo staff training (seed 002 §五) and TCM techniques offered (§十一): filled in by the
training/TCM work of issue "Regulators' workspace"; returns the number of rows it made."""

from __future__ import annotations


def build_demo_training() -> int:
    return 0
