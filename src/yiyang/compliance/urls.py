"""Obligations, hazards, inspections and clinic filings."""
from django.urls import path

from . import dashboard_views, filing_views, inspection_views, views

app_name = "compliance"
urlpatterns = [
    path("obligations/", views.obligations_page, name="obligations"),
    path("obligations/homes/<int:org_id>/", views.board, name="board"),
    path("obligations/record/", views.record, name="record"),
    path("obligations/records/<int:pk>/evidence/", views.record_evidence,
         name="record_evidence"),
    path("hazards/", views.hazard_list, name="hazards"),
    path("hazards/new/", views.hazard_create, name="hazard_create"),
    path("hazards/<int:pk>/", views.hazard, name="hazard"),
    path("hazards/<int:pk>/act/", views.hazard_act, name="hazard_act"),
    path("hazards/<int:pk>/evidence/", views.hazard_evidence, name="hazard_evidence"),
    path("inspections/", inspection_views.inspection_list, name="inspections"),
    path("inspections/inspectors/", inspection_views.inspectors, name="inspectors"),
    path("inspections/draw/", inspection_views.draw, name="draw"),
    path("inspections/<int:pk>/", inspection_views.detail, name="inspection"),
    path("inspections/<int:pk>/conclude/", inspection_views.conclude, name="conclude"),
    path("inspections/<int:pk>/findings/", inspection_views.issue_finding,
         name="issue_finding"),
    path("findings/<int:pk>/act/", inspection_views.finding_act, name="finding_act"),
    path("findings/<int:pk>/evidence/", inspection_views.finding_evidence,
         name="finding_evidence"),
    path("public/inspections/", inspection_views.public, name="public"),
    path("filings/", filing_views.filing_list, name="filings"),
    path("filings/new/", filing_views.filing_create, name="filing_create"),
    path("filings/integrated/", filing_views.integrated, name="integrated"),
    path("filings/<int:pk>/", filing_views.filing, name="filing"),
    path("filings/<int:pk>/review/", filing_views.filing_review, name="filing_review"),
    path("indicators/", dashboard_views.dashboard, name="indicators"),
    path("indicators/report/", dashboard_views.report, name="indicator_report"),
    path("indicators/regions/<str:prefix>/", dashboard_views.region, name="indicator_regions"),
    path("indicators/<str:code>/regions/<str:prefix>/", dashboard_views.indicator,
         name="indicator"),
    path("indicators/<str:code>/orgs/<int:pk>/", dashboard_views.records,
         name="indicator_records"),
]
