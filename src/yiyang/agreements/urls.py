from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("agreements/", views.agreement_list, name="list"),
    path("agreements/new/", views.create, name="create"),
    path("agreements/<int:pk>/", views.detail, name="detail"),
    path("agreements/<int:pk>/act/", views.act, name="act"),
    path("agreements/<int:pk>/patrols/", views.record_patrol, name="record_patrol"),
    path("agreements/<int:pk>/fees/", views.record_fee, name="record_fee"),
    path("agreements/<int:pk>/referrals/", views.request_referral, name="request_referral"),
    path("referrals/<int:pk>/act/", views.act_referral, name="act_referral"),
    path("agreements/<int:pk>/services/", views.record_service, name="record_service"),
    path("agreements/<int:pk>/document/", views.document, name="document"),
    path("public/agreements/", views.public_list, name="public"),
]
