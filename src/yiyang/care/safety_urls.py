"""Routes of pressure injuries, incidents and health education (namespace `care`)."""

from django.urls import path

from . import safety_views as views

urlpatterns: list = [
    path("care/pressure-injuries/", views.wound_list, name="wound_list"),
    path("care/pressure-injuries/indicator/", views.pressure_home, name="pressure_home"),
    path("care/homes/<int:org_id>/pressure-injuries/indicator/", views.pressure_indicator,
         name="pressure_indicator"),
    path("care/residents/<int:person_id>/pressure-injuries/new/", views.wound_create,
         name="wound_create"),
    path("care/pressure-injuries/<int:pk>/", views.wound_detail, name="wound_detail"),
    path("care/pressure-injuries/<int:pk>/observations/", views.wound_observe,
         name="wound_observe"),
    path("care/pressure-injuries/observations/<int:pk>/photo/", views.wound_photo,
         name="wound_photo"),
    path("care/incidents/", views.incident_list, name="incident_list"),
    path("care/residents/<int:person_id>/incidents/new/", views.incident_create,
         name="incident_create"),
    path("care/incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("care/incidents/<int:pk>/follow-up/", views.incident_update, name="incident_update"),
    path("care/education/", views.education_list, name="education_list"),
    path("care/education/new/", views.education_create, name="education_create"),
    path("care/education/<int:pk>/", views.education_detail, name="education_detail"),
]
