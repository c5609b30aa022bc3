from django.urls import path

from yiyang.residents import views

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
    path("beds/board/", views.bed_board, name="bed_board"),
    path("register/", views.register, name="register"),
]
