from django.urls import path

from . import views

app_name = "medication"
urlpatterns = [
    path("medication/", views.order_list, name="list"),
    path("medication/residents/<int:person_id>/", views.person_orders, name="person"),
    path("medication/residents/<int:person_id>/new/", views.prescribe, name="prescribe"),
    path("medication/orders/<int:pk>/", views.detail, name="detail"),
    path("medication/orders/<int:pk>/stop/", views.stop, name="stop"),
]
