"""Demo data for Daily care (issue 6 items 1, 2): service plans, this week's tasks and their
records, vital signs, nursing notes, handovers.
"""

from __future__ import annotations

__all__ = ["build_demo_care"]


def build_demo_care() -> int:
    """Build the demo records once; return how many were made (0 when they exist already)."""
    return 0
