from django.urls import path  # noqa: F401 - routes are added with the app's views

app_name = "compliance"
urlpatterns: list = []
