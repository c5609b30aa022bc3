from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("assessments/", views.assessment_list, name="list"),
    path("assessments/due/", views.due, name="due"),
    path("assessments/<int:pk>/", views.detail, name="detail"),
    path("assessments/<int:pk>/answer/", views.answer, name="answer"),
    path("assessments/<int:pk>/finalise/", views.finalise, name="finalise"),
    path("assessments/<int:pk>/discard/", views.discard, name="discard"),
    path("assessments/<int:pk>/correct/", views.correct, name="correct"),
    path("assessments/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("residents/<int:person_id>/assessments/", views.history, name="history"),
    path("residents/<int:person_id>/assessments/new/", views.start, name="start"),
    path("residents/<int:person_id>/assessments/trigger/", views.trigger, name="trigger"),
    path("stays/<int:stay_id>/admission-assessment/", views.admission, name="admission"),
]
