from django.urls import path  # noqa: F401 - routes are added with the area's views

urlpatterns: list = []
