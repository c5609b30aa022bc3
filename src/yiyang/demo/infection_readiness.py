"""Demo data for Infection readiness (issue 7 items 4, 5): sampling rounds, staff vaccination,
supplies, support teams, closed management.
"""

from __future__ import annotations

__all__ = ["build_demo_infection_readiness"]


def build_demo_infection_readiness() -> int:
    """Build the demo records once; return how many were made (0 when they exist already)."""
    return 0
