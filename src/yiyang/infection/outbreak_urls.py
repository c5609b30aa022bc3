from django.urls import path

from . import outbreak_views as views

urlpatterns: list = [
    path("infection/surveillance/", views.surveillance, name="surveillance"),
    path("infection/surveillance/check/", views.record_check, name="record_check"),
    path("infection/surveillance/test/", views.record_test, name="record_test"),
    path("infection/surveillance/round/<int:building_id>/", views.round_entry, name="round"),
    path("infection/outbreaks/", views.outbreak_list, name="outbreaks"),
    path("infection/outbreaks/<int:pk>/", views.outbreak_detail, name="outbreak"),
    path("infection/outbreaks/<int:pk>/act/", views.outbreak_act, name="outbreak_act"),
    path("infection/outbreaks/<int:pk>/export/", views.export_line_list, name="outbreak_export"),
    path("infection/control/", views.set_control, name="control"),
    path("infection/inbox/", views.inbox, name="inbox"),
    path("infection/reports/<int:pk>/act/", views.report_act, name="report_act"),
    path("infection/sites/", views.site_list, name="sites"),
    path("infection/sites/new/", views.site_create, name="site_create"),
]
