"""API shapes for residents (STYLE: XCreate / XUpdate / XRead)."""

from datetime import date

from ninja import Field, Schema

from yiyang.core.masking import hides_personal_data, mask_id_number, mask_phone


def _hidden(context: dict | None) -> bool:
    request = (context or {}).get("request")
    return hides_personal_data(getattr(request, "actor", None))


class ResidentRead(Schema):
    id: int
    org_id: int
    name: str
    sex: str
    birth_date: date
    document_type: str
    id_number: str | None = Field(
        ..., description="脱敏显示；完整号码需 reveal 权限；医疗卫生机构为 null")
    phone: str | None = Field(..., description="脱敏显示；医疗卫生机构为 null")
    ethnicity: str
    address: str
    stay_id: int | None
    stay_status: str | None
    home_id: int | None = Field(None, alias="stay_home_id")
    admitted_on: date | None
    bed: str | None
    category: str | None
    band: str | None
    version: int

    @staticmethod
    def resolve_id_number(obj, context) -> str | None:  # type: ignore[no-untyped-def]
        if _hidden(context):
            return None
        return mask_id_number(obj.id_number)

    @staticmethod
    def resolve_phone(obj, context) -> str | None:  # type: ignore[no-untyped-def]
        if _hidden(context):
            return None
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_bed(obj) -> str | None:  # type: ignore[no-untyped-def]
        if not getattr(obj, "bed_label", None):
            return None
        return f"{obj.building_name} {obj.room_number}-{obj.bed_label}"


class ResidentCreate(Schema):
    home_id: int
    bed_id: int
    name: str
    document_type: str = "id_card"
    id_number: str = ""
    sex: str | None = None
    birth_date: date | None = None
    phone: str = ""
    ethnicity: str = "汉族"
    address: str = ""
    admitted_on: date | None = None


class ResidentUpdate(Schema):
    version: int
    name: str | None = None
    document_type: str | None = None
    id_number: str | None = None
    sex: str | None = None
    birth_date: date | None = None
    phone: str | None = None
    ethnicity: str | None = None
    address: str | None = None


class Revealed(Schema):
    id_number: str
    phone: str
