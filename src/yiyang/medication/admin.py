from django.contrib import admin

from yiyang.core.admin import ReadOnlyAdmin

from .models import MedicationAdministration, MedicationIncident, MedicationOrder, MedicineStock


@admin.register(MedicationOrder)
class MedicationOrderAdmin(ReadOnlyAdmin):
    list_display = ("id", "person", "home", "drug", "dose", "frequency", "start_on", "status")
    list_filter = ("status", "frequency", "route", "source")


@admin.register(MedicineStock)
class MedicineStockAdmin(ReadOnlyAdmin):
    list_display = ("id", "person", "home", "drug", "batch_number", "expires_on", "on_hand",
                    "unit", "status")
    list_filter = ("status", "source")


@admin.register(MedicationAdministration)
class MedicationAdministrationAdmin(ReadOnlyAdmin):
    list_display = ("id", "person", "order", "scheduled_at", "status", "given_at", "late")
    list_filter = ("status", "late")


@admin.register(MedicationIncident)
class MedicationIncidentAdmin(ReadOnlyAdmin):
    list_display = ("id", "person", "home", "kind", "occurred_at", "status")
    list_filter = ("kind", "status")
