from django.contrib import admin

from yiyang.core.admin import ReadOnlyAdmin

from .models import EducationSession, Incident, PressureInjury, PressureInjuryObservation

# ---- pressure injuries, incidents, education (care-safety) ----


@admin.register(PressureInjury)
class PressureInjuryAdmin(ReadOnlyAdmin):
    list_display = ("id", "person", "home", "site", "stage", "found_at", "present_on_admission")
    list_filter = ("stage", "site", "present_on_admission", "device_related")


@admin.register(PressureInjuryObservation)
class PressureInjuryObservationAdmin(ReadOnlyAdmin):
    list_display = ("id", "lesion", "observed_at", "stage")


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ("id", "person", "home", "kind", "occurred_at", "severity", "closed")
    list_filter = ("kind", "severity", "hospital_transfer", "closed")


@admin.register(EducationSession)
class EducationSessionAdmin(ReadOnlyAdmin):
    list_display = ("id", "home", "kind", "topic", "held_on", "speaker")
    list_filter = ("kind",)
