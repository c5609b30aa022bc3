"""Community ledger, visits, home services and family-doctor contracts."""

from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("community/ledger/", views.ledger, name="ledger"),
    path("community/ledger/new/", views.entry_new, name="entry_new"),
    path("community/ledger/import/", views.ledger_import, name="import"),
    path("community/ledger/template.xlsx", views.ledger_template, name="template"),
    path("community/ledger/export.xlsx", views.ledger_export, name="export"),
    path("community/ledger/<int:pk>/", views.entry, name="entry"),
    path("community/ledger/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("community/ledger/<int:pk>/end/", views.entry_end, name="entry_end"),
    path("community/ledger/<int:pk>/visits/", views.visit_new, name="visit_new"),
    path("community/ledger/<int:pk>/services/", views.service_new, name="service_new"),
    path("community/ledger/<int:pk>/contracts/", views.contract_new, name="contract_new"),
    path("community/services/<int:pk>/deliver/", views.service_deliver, name="service_deliver"),
    path("community/contracts/<int:pk>/visits/", views.contract_visit, name="contract_visit"),
    path("community/visits/", views.visit_plan, name="visits"),
    path("community/services/", views.service_list, name="services"),
    path("community/family-doctors/", views.family_doctors, name="family_doctors"),
    path("community/outbreak/", views.outbreak, name="outbreak"),
    path("community/outbreak/switch/", views.outbreak_switch, name="outbreak_switch"),
]
