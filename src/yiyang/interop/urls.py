from django.urls import path

from yiyang.interop import views

app_name = "interop"
urlpatterns = [
    path("imports/", views.imports, name="imports"),
    path("imports/<int:job_id>/", views.import_job, name="import_job"),
    path("imports/<int:job_id>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:job_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/template/residents.xlsx", views.residents_template, name="residents_template"),
    path("exports/residents.xlsx", views.residents_export, name="residents_export"),
    path("exports/register.xlsx", views.register_export, name="register_export"),
]
