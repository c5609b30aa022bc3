"""Demo data for `yiyang demo`: a realistic synthetic Henan setting (开封市 and three counties).

Every demo account is flagged `is_demo` and logs in only while the server runs in demo mode
(`YIYANG_DEMO_MODE=1`, set by `yiyang demo` / `yiyang serve --demo`).
"""

from __future__ import annotations

# The password of every demo account (printed by `yiyang demo`; never valid outside demo mode).
DEMO_PASSWORD = "yiyang-demo-2026"  # noqa: S105 - public by design, demo mode only

__all__ = ["DEMO_PASSWORD"]
