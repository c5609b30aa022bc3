"""Cross-organisation routes of staff training and TCM techniques (seed 002 §五, §十一).

Home A's own rows (a training course with a certificate, an offered technique) are what other
organisations must not reach; officer_x (county X) reads them and changes nothing; doctor_b
(partner of home A) sees none of them (administrative, not clinical data).
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.security.registry import Route, World, api_route, obj
from yiyang.compliance import training_services as services
from yiyang.compliance.models import TcmTechnique, TrainingAttendance, TrainingCourse

PDF = b"%PDF-1.4\n%%EOF\n"


def build(cast, w: World) -> None:  # type: ignore[no-untyped-def]
    nurse_a = cast.actor("nurse_a")
    today = timezone.localdate()
    w.extra["training"] = services.record_training(
        actor=nurse_a, title="X", kind="other", organiser="X", held_on=today, hours=2,
        attendee_ids=[cast.membership("nurse_a").pk],
        certificate=SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf"))
    # a technique not in the demo's register of home A
    w.extra["technique"] = services.add_technique(actor=nurse_a, technique="herbal_bath",
                                                  started_on=today)


def state(w: World) -> tuple:
    return (TrainingCourse.objects.count(), TrainingAttendance.objects.count(),
            TcmTechnique.objects.count(),
            TcmTechnique.objects.get(pk=w.extra["technique"].pk).version,
            TcmTechnique.objects.get(pk=w.extra["technique"].pk).stopped_on)


TRAINING = {"pk": lambda w: w.extra["training"].pk}
TECHNIQUE = {"pk": lambda w: w.extra["technique"].pk}


def _today() -> str:
    return timezone.localdate().isoformat()


ROUTES: dict[str, Route] = {
    "compliance:trainings": Route("list"),
    "compliance:training_create": Route("own", "post"),
    "compliance:training": obj(**TRAINING),
    "compliance:training_certificate": obj(**TRAINING),
    "compliance:tcm_techniques": Route("list"),
    "compliance:tcm_technique_create": Route("own", "post"),
    "compliance:tcm_technique": obj(**TECHNIQUE),
    "compliance:tcm_technique_stop": obj("post", writes=True, body=lambda w: {
        "version": w.extra["technique"].version, "stopped_on": _today()}, **TECHNIQUE),
    "api:list_staff_trainings": api_route("list"),
    "api:get_staff_training": api_route("object", **TRAINING),
    "api:create_staff_training": api_route("own", "post", body=lambda w: {
        "title": "X", "kind": "other", "organiser": "X", "held_on": _today(), "hours": "2",
        "attendee_ids": [w.nurse_a.pk]}),
    "api:list_tcm_techniques": api_route("list"),
    "api:get_tcm_technique": api_route("object", **TECHNIQUE),
    "api:create_tcm_technique": api_route("own", "post", body=lambda w: {
        "technique": "herbal_wrap", "started_on": _today()}),
    "api:stop_tcm_technique": api_route("object", "post", body=lambda w: {
        "version": w.extra["technique"].version}, **TECHNIQUE),
}

ABSENT = {
    "api:list_staff_trainings": lambda w: set(
        TrainingCourse.objects.filter(org_id=w.home_a.pk).values_list("pk", flat=True)),
    "api:list_tcm_techniques": lambda w: set(
        TcmTechnique.objects.filter(org_id=w.home_a.pk).values_list("pk", flat=True)),
}
