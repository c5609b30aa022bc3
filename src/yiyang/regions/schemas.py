"""API shapes for the region table."""

from __future__ import annotations

from ninja import Field, Schema


class RegionRead(Schema):
    id: int
    code: str
    name: str
    full_name: str
    level: int
    parent_code: str
    scope_prefix: str
    valid_from: str | None = Field(None, description="ISO 日期")
    valid_to: str | None = None

    @staticmethod
    def resolve_valid_from(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.valid_from.isoformat() if obj.valid_from else None

    @staticmethod
    def resolve_valid_to(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.valid_to.isoformat() if obj.valid_to else None
