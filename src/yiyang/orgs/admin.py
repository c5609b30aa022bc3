from django.contrib import admin

from yiyang.core.admin import ReadOnlyAdmin
from yiyang.orgs.models import Bed, Building, Membership, Organisation, Room, User


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "credit_code", "region_code", "is_active")
    list_filter = ("kind",)
    search_fields = ("name", "credit_code")


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "full_name", "is_active", "is_demo", "last_login")
    search_fields = ("username", "full_name")
    exclude = ("password", "phone", "phone_index")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "org", "role", "is_active")
    list_filter = ("role",)


for model in (Building, Room, Bed):
    admin.site.register(model, ReadOnlyAdmin)
