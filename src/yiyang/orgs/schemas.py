"""API shapes for organisations, facilities and staff (STYLE: XCreate / XUpdate / XRead)."""

from __future__ import annotations

from ninja import Field, Schema

from yiyang.core.masking import mask_phone


class OrganisationRead(Schema):
    id: int
    kind: str
    name: str
    short_name: str
    credit_code: str
    region_code: str
    region_name: str = Field(..., alias="region.full_name")
    address: str
    phone: str
    parent_id: int | None
    is_active: bool
    version: int


class OrganisationUpdate(Schema):
    version: int
    name: str | None = None
    short_name: str | None = None
    address: str | None = None
    phone: str | None = None
    credit_code: str | None = None
    category: str | None = None
    ownership: str | None = None
    bed_capacity: int | None = None
    has_medical_unit: bool | None = None
    medical_unit_type: str | None = None
    medical_filing_no: str | None = None
    is_integrated: bool | None = None
    type: str | None = None
    grade: str | None = None
    license_no: str | None = None


class BuildingCreate(Schema):
    home_id: int
    name: str
    is_independent: bool = False
    floors: int = 1
    note: str = ""


class BuildingUpdate(Schema):
    version: int
    name: str | None = None
    is_independent: bool | None = None
    floors: int | None = None
    note: str | None = None


class BuildingRead(Schema):
    id: int
    home_id: int
    name: str
    is_independent: bool
    floors: int
    note: str
    version: int


class RoomCreate(Schema):
    building_id: int
    number: str
    floor: int = 1
    is_single: bool = False
    beds: int = Field(0, description="同时创建的床位数（床号 1..n）")


class RoomUpdate(Schema):
    version: int
    number: str | None = None
    floor: int | None = None
    is_single: bool | None = None


class RoomRead(Schema):
    id: int
    home_id: int
    building_id: int
    number: str
    floor: int
    is_single: bool
    version: int


class BedCreate(Schema):
    room_id: int
    label: str
    is_active: bool = True


class BedUpdate(Schema):
    version: int
    label: str | None = None
    is_active: bool | None = None


class BedRead(Schema):
    id: int
    home_id: int
    room_id: int
    label: str
    is_active: bool
    version: int


class StaffRead(Schema):
    id: int
    org_id: int
    username: str = Field(..., alias="user.username")
    full_name: str = Field(..., alias="user.full_name")
    phone_masked: str
    role: str
    title: str
    is_active: bool
    version: int

    @staticmethod
    def resolve_phone_masked(obj) -> str:  # type: ignore[no-untyped-def]
        return mask_phone(obj.user.phone)


class MeRead(Schema):
    username: str
    display_name: str
    org_id: int
    org_name: str
    org_kind: str
    role: str
    region_code: str
    permissions: list[str]
