from django.urls import path

from yiyang.residents import followup_views, handover_views, photo_views, views

app_name = "residents"
urlpatterns = [
    path("residents/", views.resident_list, name="list"),
    path("residents/new/", views.admit, name="admit"),
    path("residents/<int:person_id>/", views.detail, name="detail"),
    path("residents/<int:person_id>/edit/", views.edit_person, name="edit"),
    path("residents/<int:person_id>/profile/", views.edit_profile, name="profile"),
    path("residents/<int:person_id>/reveal/", views.reveal, name="reveal"),
    path("residents/<int:person_id>/stays/<int:stay_id>/change/", views.change_stay,
         name="change_stay"),
    path("residents/<int:person_id>/conditions/new/", views.add_condition, name="add_condition"),
    path("residents/<int:person_id>/vaccinations/new/", views.add_vaccination,
         name="add_vaccination"),
    path("residents/<int:person_id>/contacts/new/", views.add_contact, name="add_contact"),
    path("residents/<int:person_id>/handover.pdf", handover_views.handover_card,
         name="handover_card"),
    path("residents/<int:person_id>/follow-ups/new/", followup_views.record,
         name="record_follow_up"),
    path("residents/<int:person_id>/photo/", photo_views.upload, name="photo"),
    path("residents/<int:person_id>/photo/file/", photo_views.photo_file, name="photo_file"),
    path("beds/board/", views.bed_board, name="bed_board"),
    path("beds/buildings/<int:building_id>/handover.pdf", handover_views.building_handover,
         name="building_handover"),
    path("register/", views.register, name="register"),
    path("follow-ups/", followup_views.schedule, name="follow_ups"),
    path("follow-ups/policy/", followup_views.policy, name="follow_up_policy"),
]
