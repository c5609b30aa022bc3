"""How personal data looks on screens and in exports (DESIGN: `110105********123X`)."""

from __future__ import annotations

from yiyang.core.permissions import OrgKind

HIDDEN = "—"


def hides_personal_data(actor: object) -> bool:
    """Medical institutions read residents' clinical records under an agreement, never their ID
    or phone numbers, masked or not (issue 8 "Who sees what")."""
    return getattr(actor, "org_kind", None) == OrgKind.MEDICAL


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = value.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
