from django.contrib import admin

from yiyang.core.admin import ReadOnlyAdmin

from .models import IsolationSite, Outbreak, OutbreakReport, SymptomCheck, TestResult


@admin.register(Outbreak)
class OutbreakAdmin(ReadOnlyAdmin):
    list_display = ("id", "home", "state", "opened_at", "closed_at")
    list_filter = ("state",)


@admin.register(OutbreakReport)
class OutbreakReportAdmin(ReadOnlyAdmin):
    list_display = ("id", "from_org", "to_org", "received_at", "due_at", "status",
                    "overdue_since")
    list_filter = ("status", "level")


@admin.register(TestResult)
class TestResultAdmin(ReadOnlyAdmin):
    list_display = ("id", "home", "subject_name", "kind", "result", "sampled_at")
    list_filter = ("kind", "result")


@admin.register(SymptomCheck)
class SymptomCheckAdmin(ReadOnlyAdmin):
    list_display = ("id", "home", "subject_name", "checked_at", "temperature", "spo2")


@admin.register(IsolationSite)
class IsolationSiteAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "kind", "org", "region_code", "capacity", "is_active")
