from django.urls import path

from . import plan_views as views

urlpatterns: list = [
    path("care/plans/", views.plan_list, name="plans"),
    path("care/plans/propose/<int:person_id>/", views.plan_propose, name="plan_propose"),
    path("care/plans/<int:pk>/", views.plan_detail, name="plan"),
    path("care/plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("care/plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("care/plans/<int:pk>/ranges/", views.plan_ranges, name="plan_ranges"),
    path("care/tasks/generate/", views.generate_tasks, name="generate_tasks"),
    path("care/tasks/<int:pk>/record/", views.task_record, name="task_record"),
    path("care/point-of-care/", views.point_of_care, name="point_of_care"),
    path("care/residents/<int:person_id>/vitals/", views.vitals_record, name="vitals_record"),
    path("care/residents/<int:person_id>/notes/", views.note_write, name="note_write"),
    path("care/handover/", views.handover, name="handover"),
    path("care/handover/confirm/", views.handover_confirm, name="handover_confirm"),
]
