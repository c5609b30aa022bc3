from django.urls import path

from . import family_bed_views, views

app_name = "agreements"
urlpatterns = [
    path("agreements/", views.agreement_list, name="list"),
    path("agreements/new/", views.create, name="create"),
    path("agreements/<int:pk>/", views.detail, name="detail"),
    path("agreements/<int:pk>/act/", views.act, name="act"),
    path("agreements/<int:pk>/patrols/", views.record_patrol, name="record_patrol"),
    path("patrols/<int:pk>/", views.patrol_visit, name="patrol_visit"),
    path("patrols/<int:pk>/orders/", views.patrol_order, name="patrol_order"),
    path("agreements/<int:pk>/fees/", views.record_fee, name="record_fee"),
    path("agreements/<int:pk>/referrals/", views.request_referral, name="request_referral"),
    path("referrals/<int:pk>/act/", views.act_referral, name="act_referral"),
    path("agreements/<int:pk>/services/", views.record_service, name="record_service"),
    path("agreements/<int:pk>/family-beds/", family_bed_views.open_family_bed,
         name="open_family_bed"),
    path("family-beds/", family_bed_views.family_bed_list, name="family_beds"),
    path("family-beds/<int:pk>/", family_bed_views.family_bed, name="family_bed"),
    path("family-beds/<int:pk>/rounds/", family_bed_views.family_bed_round,
         name="family_bed_round"),
    path("family-beds/<int:pk>/close/", family_bed_views.close_family_bed,
         name="close_family_bed"),
    path("agreements/<int:pk>/document/", views.document, name="document"),
    path("public/agreements/", views.public_list, name="public"),
]
