"""Demo data for the regulators' workspace (issue 10): obligations and their records, the
yearly inspection draw with findings and rectifications, clinic filings.
"""

from __future__ import annotations

__all__ = ["build_demo_compliance"]


def build_demo_compliance() -> int:
    """Build the demo records once; return how many were made (0 when they exist already)."""
    return 0
