from django.contrib import admin

from .models import Agreement, AgreementEvent, PatrolVisit


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("id", "home", "medical", "start_on", "end_on", "state")
    list_filter = ("state",)
    readonly_fields = ("version", "region_code")


@admin.register(AgreementEvent)
class AgreementEventAdmin(admin.ModelAdmin):
    list_display = ("agreement", "action", "from_state", "to_state", "at", "actor_name")


@admin.register(PatrolVisit)
class PatrolVisitAdmin(admin.ModelAdmin):
    list_display = ("agreement", "visited_on", "doctors", "nurses", "recorded_by")
