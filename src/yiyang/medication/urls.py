from django.urls import path

from . import emar_views, views

app_name = "medication"
urlpatterns = [
    path("medication/", views.order_list, name="list"),
    path("medication/residents/<int:person_id>/", views.person_orders, name="person"),
    path("medication/residents/<int:person_id>/new/", views.prescribe, name="prescribe"),
    path("medication/orders/<int:pk>/", views.detail, name="detail"),
    path("medication/orders/<int:pk>/stop/", views.stop, name="stop"),
    # Self-brought medicine, the medicine cart and the administration record (eMAR).
    path("medication/rounds/", emar_views.rounds, name="rounds"),
    path("medication/rounds/print/", emar_views.rounds_print, name="rounds_print"),
    path("medication/orders/<int:pk>/administer/", emar_views.administer, name="administer"),
    path("medication/administrations/<int:pk>/effect/", emar_views.effect, name="effect"),
    path("medication/stock/", emar_views.stock_list, name="stock"),
    path("medication/stock/<int:pk>/", emar_views.stock_detail, name="stock_detail"),
    path("medication/stock/<int:pk>/adjust/", emar_views.stock_adjust, name="stock_adjust"),
    path("medication/residents/<int:person_id>/intake/", emar_views.intake, name="intake"),
    path("medication/residents/<int:person_id>/mar/", emar_views.mar, name="mar"),
    path("medication/residents/<int:person_id>/mar.pdf", emar_views.mar_pdf, name="mar_pdf"),
    path("medication/incidents/", emar_views.incident_list, name="incidents"),
    path("medication/incidents/<int:pk>/", emar_views.incident_detail, name="incident_detail"),
    path("medication/incidents/<int:pk>/handle/", emar_views.incident_handle,
         name="incident_handle"),
    path("medication/residents/<int:person_id>/incidents/new/", emar_views.incident_new,
         name="incident_new"),
]
