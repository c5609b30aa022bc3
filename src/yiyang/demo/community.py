"""Demo data for Community (issue 9): the special-needs ledger of townships T and U, visits, home
services, family-doctor contracts.
"""

from __future__ import annotations

__all__ = ["build_demo_community"]


def build_demo_community() -> int:
    """Build the demo records once; return how many were made (0 when they exist already)."""
    return 0
