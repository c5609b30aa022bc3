from django.contrib.auth import views as auth_views
from django.urls import path

from yiyang.web import views

app_name = "web"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("switch/", views.switch_membership, name="switch"),
    path("audit/", views.audit_log, name="audit"),
]
