"""One filter definition per list, shared by the pages and the API (STYLE "one filter")."""

from __future__ import annotations

import django_filters as df

from yiyang.core.permissions import OrgKind, Role
from yiyang.orgs.models import Bed, Building, Membership, Organisation, Room


class OrganisationFilter(df.FilterSet):
    q = df.CharFilter(method="search", label="名称或信用代码")
    kind = df.ChoiceFilter(choices=OrgKind.choices, label="类别")
    region_code = df.CharFilter(
        field_name="region_code", lookup_expr="startswith", label="区划代码前缀"
    )

    class Meta:
        model = Organisation
        fields = ["kind", "region_code"]

    def search(self, qs, name, value):  # type: ignore[no-untyped-def]
        return qs.filter(name__contains=value) | qs.filter(credit_code__startswith=value.upper())


class BuildingFilter(df.FilterSet):
    home_id = df.NumberFilter(field_name="home_id", label="养老机构")

    class Meta:
        model = Building
        fields = ["home_id"]


class RoomFilter(df.FilterSet):
    home_id = df.NumberFilter(field_name="home_id")
    building_id = df.NumberFilter(field_name="building_id")
    floor = df.NumberFilter(field_name="floor")

    class Meta:
        model = Room
        fields = ["home_id", "building_id", "floor"]


class BedFilter(df.FilterSet):
    home_id = df.NumberFilter(field_name="home_id")
    room_id = df.NumberFilter(field_name="room_id")
    building_id = df.NumberFilter(field_name="room__building_id")
    is_active = df.BooleanFilter(field_name="is_active")

    class Meta:
        model = Bed
        fields = ["home_id", "room_id", "is_active"]


class StaffFilter(df.FilterSet):
    q = df.CharFilter(method="search", label="姓名或用户名")
    role = df.ChoiceFilter(choices=Role.choices, label="角色")
    is_active = df.BooleanFilter(field_name="is_active", label="有效")

    class Meta:
        model = Membership
        fields = ["role", "is_active"]

    def search(self, qs, name, value):  # type: ignore[no-untyped-def]
        return qs.filter(user__full_name__contains=value) | qs.filter(
            user__username__icontains=value
        )
