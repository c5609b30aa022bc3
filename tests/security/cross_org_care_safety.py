"""Cross-organisation routes of pressure injuries, incidents and health education (issue 6
items 3, 4, 6, 7).  Lesions and incidents are clinical rows (partner doctors read them, write
none), and so are a lesion's observation photos; education sessions are the home's own
business; the indicator page is for the home's staff and its regulators."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from tests.security.registry import Route, World, api_route, obj
from yiyang.care import safety_services as services
from yiyang.care.models import EducationSession, Incident, PressureInjury, PressureInjuryObservation


def build(cast, w: World) -> None:  # type: ignore[no-untyped-def]
    nurse = cast.actor("nurse_a")
    person_id = w.stay.person_id
    w.extra["lesion"] = services.record_lesion(
        actor=nurse, person_id=person_id, site="heel", stage="2",
        found_at=timezone.now() - timedelta(hours=3))
    obs = services.add_observation(actor=nurse, lesion_id=w.extra["lesion"].pk,
                                   version=w.extra["lesion"].version, stage="2")
    # One fixed small file for every world (MEDIA_ROOT is not a temporary folder here), set by
    # name: the upload path itself is tested in tests/care/test_safety_photos.py.
    if not default_storage.exists(PHOTO):
        out = io.BytesIO()
        Image.new("RGB", (8, 8), (200, 120, 120)).save(out, "PNG")
        default_storage.save(PHOTO, ContentFile(out.getvalue()))
    PressureInjuryObservation.objects.filter(pk=obs.pk).update(photo=PHOTO)
    w.extra["observation"] = obs
    w.extra["lesion"].refresh_from_db()
    w.extra["incident"] = services.record_incident(
        actor=nurse, person_id=person_id, kind="other", kind_detail="X",
        occurred_at=timezone.now() - timedelta(hours=2), place="X", description="X",
        immediate_action="X")
    w.extra["education"] = services.record_education(
        actor=nurse, kind="health", topic="X", held_on=timezone.localdate(), speaker="X",
        audience=["residents"], attendee_ids=[person_id])


def state(w: World) -> tuple:
    return (PressureInjury.objects.count(), PressureInjuryObservation.objects.count(),
            PressureInjury.objects.get(pk=w.extra["lesion"].pk).version,
            Incident.objects.count(), Incident.objects.get(pk=w.extra["incident"].pk).version,
            EducationSession.objects.count())


PHOTO = "wound-photos/cross-org-world.png"
LESION = {"pk": lambda w: w.extra["lesion"].pk}
OBSERVATION = {"pk": lambda w: w.extra["observation"].pk}
INCIDENT = {"pk": lambda w: w.extra["incident"].pk}
EDUCATION = {"pk": lambda w: w.extra["education"].pk}
PERSON = {"person_id": lambda w: w.stay.person_id}
HOME = {"org_id": lambda w: w.home_a.pk}

ROUTES: dict[str, Route] = {
    "care:wound_list": Route("list"),
    "care:pressure_home": Route("own"),
    "care:pressure_indicator": obj(**HOME),
    "care:wound_create": obj(writes=True, **PERSON),
    "care:wound_detail": obj(**LESION),
    "care:wound_observe": obj("post", writes=True, body=lambda w: {
        "version": w.extra["lesion"].version, "stage": "3"}, **LESION),
    "care:wound_photo": obj(**OBSERVATION),
    "care:incident_list": Route("list"),
    "care:incident_create": obj(writes=True, **PERSON),
    "care:incident_detail": obj(**INCIDENT),
    "care:incident_update": obj("post", writes=True, body=lambda w: {
        "version": w.extra["incident"].version, "follow_up": "X"}, **INCIDENT),
    "care:education_list": Route("list"),
    "care:education_create": Route("own"),
    "care:education_detail": obj(**EDUCATION),
    "api:list_pressure_injuries": api_route("list"),
    "api:get_pressure_injury": api_route("object", **LESION),
    "api:create_pressure_injury": api_route("object", "post", body=lambda w: {
        "person_id": w.stay.person_id, "site": "sacrum", "stage": "2",
        "found_at": (timezone.now() - timedelta(hours=1)).isoformat()}),
    "api:update_pressure_injury": api_route("object", "patch", body=lambda w: {
        "version": w.extra["lesion"].version, "note": "X"}, **LESION),
    "api:observe_pressure_injury": api_route("object", "post", body=lambda w: {
        "version": w.extra["lesion"].version, "stage": "3"}, **LESION),
    "api:list_incidents": api_route("list"),
    "api:get_incident": api_route("object", **INCIDENT),
    "api:create_incident": api_route("object", "post", body=lambda w: {
        "person_id": w.stay.person_id, "kind": "fall", "place": "X", "description": "X",
        "immediate_action": "X",
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat()}),
    "api:update_incident": api_route("object", "patch", body=lambda w: {
        "version": w.extra["incident"].version, "follow_up": "X"}, **INCIDENT),
    "api:list_education_sessions": api_route("list"),
    "api:get_education_session": api_route("object", **EDUCATION),
    "api:create_education_session": api_route("object", "post", body=lambda w: {
        "kind": "health", "topic": "X", "held_on": timezone.localdate().isoformat(),
        "speaker": "X", "audience": ["residents"], "attendee_ids": [w.stay.person_id]}),
}

# Lesions and incidents are clinical: the partner doctor reads them.
PARTNER_READS = frozenset({"care:wound_detail", "care:wound_photo", "care:incident_detail",
                           "api:get_pressure_injury", "api:get_incident"})
ABSENT = {
    "api:list_pressure_injuries": lambda w: {w.extra["lesion"].pk},
    "api:list_incidents": lambda w: {w.extra["incident"].pk},
    "api:list_education_sessions": lambda w: {w.extra["education"].pk},
}
