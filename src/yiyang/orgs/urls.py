from django.urls import path

from yiyang.orgs import views

app_name = "orgs"
urlpatterns = [
    path("org/", views.my_org, name="my_org"),
    path("orgs/", views.directory, name="directory"),
    path("orgs/<int:org_id>/", views.org_detail, name="detail"),
    path("orgs/<int:org_id>/edit/", views.org_edit, name="edit"),
    path("orgs/<int:org_id>/facilities/", views.facilities, name="home_facilities"),
    path("facilities/", views.facilities, name="facilities"),
    path("facilities/buildings/new/", views.building_create, name="building_create"),
    path("buildings/<int:building_id>/edit/", views.building_edit, name="building_edit"),
    path("buildings/<int:building_id>/delete/", views.building_delete, name="building_delete"),
    path("buildings/<int:building_id>/rooms/new/", views.room_create, name="room_create"),
    path("rooms/<int:room_id>/edit/", views.room_edit, name="room_edit"),
    path("rooms/<int:room_id>/delete/", views.room_delete, name="room_delete"),
    path("rooms/<int:room_id>/beds/new/", views.bed_create, name="bed_create"),
    path("beds/<int:bed_id>/edit/", views.bed_edit, name="bed_edit"),
    path("beds/<int:bed_id>/delete/", views.bed_delete, name="bed_delete"),
    path("staff/", views.staff, name="staff"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:membership_id>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:membership_id>/password/", views.staff_password, name="staff_password"),
    path(
        "staff/<int:membership_id>/reveal-phone/",
        views.staff_reveal_phone,
        name="staff_reveal_phone",
    ),
]
