from django.urls import path

from . import readiness_views as views
from . import sampling_views

urlpatterns: list = [
    path("infection/readiness/", views.overview, name="readiness"),
    path("infection/sampling/", sampling_views.sampling, name="sampling"),
    path("infection/sampling/mark/", sampling_views.mark, name="sampling_mark"),
    path("infection/sampling/marks/<int:pk>/end/", sampling_views.end_mark,
         name="sampling_mark_end"),
    path("infection/sampling/days/<int:pk>/", sampling_views.sampling_day, name="sampling_day"),
    path("infection/staff/", views.staff, name="staff"),
    path("infection/staff/<int:membership_id>/", views.staff_detail, name="staff_detail"),
    path("infection/staff/<int:membership_id>/dose/", views.staff_dose, name="staff_dose"),
    path("infection/staff/<int:membership_id>/post/", views.staff_post, name="staff_post"),
    path("infection/supplies/", views.supplies, name="supplies"),
    path("infection/supplies/setup/", views.supplies_setup, name="supplies_setup"),
    path("infection/supplies/demand.xlsx", views.supplies_demand_export,
         name="supplies_demand_export"),
    path("infection/supplies/<int:pk>/move/", views.supplies_move, name="supplies_move"),
    path("infection/supplies/<int:pk>/minimum/", views.supplies_minimum,
         name="supplies_minimum"),
    path("infection/teams/", views.teams, name="teams"),
    path("infection/teams/<int:pk>/", views.team_detail, name="teams_detail"),
    path("infection/teams/<int:pk>/members/", views.team_member, name="teams_member"),
    path("infection/teams/<int:pk>/trainings/", views.team_training, name="teams_training"),
    path("infection/closed/", views.closed, name="closed"),
    path("infection/closed/<int:pk>/", views.closed_detail, name="closed_detail"),
    path("infection/closed/<int:pk>/shifts/", views.closed_shift, name="closed_shift"),
    path("infection/closed/<int:pk>/measures/", views.closed_measures, name="closed_measures"),
    path("infection/closed/<int:pk>/end/", views.closed_end, name="closed_end"),
]
