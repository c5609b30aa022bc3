from django.contrib import admin

from yiyang.core.admin import ReadOnlyAdmin
from yiyang.regions.models import Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent_code", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("code", "name")
