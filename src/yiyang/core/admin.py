"""The Django admin is a read-only window for platform operators (superusers).

Every change goes through a service so it is checked and audited; the admin therefore never
adds, edits or deletes.
"""

from __future__ import annotations

from django.contrib import admin

from yiyang.core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "action", "object_type", "object_repr", "ip")
    list_filter = ("action",)
    search_fields = ("username", "object_repr", "action")
