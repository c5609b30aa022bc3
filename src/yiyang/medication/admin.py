from django.contrib import admin

from yiyang.core.admin import ReadOnlyAdmin

from .models import MedicationOrder


@admin.register(MedicationOrder)
class MedicationOrderAdmin(ReadOnlyAdmin):
    list_display = ("id", "person", "home", "drug", "dose", "frequency", "start_on", "status")
    list_filter = ("status", "frequency", "route", "source")
