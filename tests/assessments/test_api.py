"""`/api/v1/assessments`: create a draft with answers (all or nothing), finalise, list, detail."""

from __future__ import annotations

from tests.assessments.helpers import open_stay, top
from yiyang.assessments.models import Assessment


def test_create_and_finalise_through_the_api(cast) -> None:
    stay = open_stay(cast)
    api = cast.api("nurse_a")
    created = api.post("/api/v1/assessments", {
        "person_id": stay.person_id, "instrument": "braden", "answers": top("braden")},
        content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["answers"] == top("braden")
    done = api.post(f"/api/v1/assessments/{body['id']}/finalise",
                    {"version": body["version"]}, content_type="application/json")
    assert done.status_code == 200, done.content
    # REFERENCE §5.2: 23 is the top of the scale, no risk (≥ 19).
    assert done.json()["total"] == 23 and done.json()["status"] == "final"
    listed = api.get("/api/v1/assessments", {"person_id": stay.person_id}).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]


def test_a_bad_answer_creates_nothing(cast) -> None:
    stay = open_stay(cast)
    before = Assessment.objects.count()
    response = cast.api("nurse_a").post("/api/v1/assessments", {
        "person_id": stay.person_id, "instrument": "braden", "answers": {"6": 4}},
        content_type="application/json")
    # Braden friction and shear (item 6) has no 4 (REFERENCE §5.2: max 3).
    assert response.status_code == 400 and response.json()["code"] == "invalid_answer"
    assert Assessment.objects.count() == before


def test_finalising_an_incomplete_draft_is_refused(cast) -> None:
    stay = open_stay(cast)
    api = cast.api("nurse_a")
    body = api.post("/api/v1/assessments", {"person_id": stay.person_id, "instrument": "morse",
                                            "answers": {"1": 25}},
                    content_type="application/json").json()
    refused = api.post(f"/api/v1/assessments/{body['id']}/finalise", {"version": body["version"]},
                       content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "incomplete"


def test_a_positive_rough_screen_points_to_the_full_scale(cast) -> None:
    stay = open_stay(cast)
    api = cast.api("nurse_a")
    body = api.post("/api/v1/assessments", {"person_id": stay.person_id,
                                            "instrument": "cogscreen",
                                            "answers": {"1": 1, "2": 0}},
                    content_type="application/json").json()
    done = api.post(f"/api/v1/assessments/{body['id']}/finalise", {"version": body["version"]},
                    content_type="application/json").json()
    # REFERENCE §4.1: failing the one-minute recall is a positive screen → MMSE.
    assert done["band"] == "positive" and done["outcome"]["details"]["follow_up"] == "mmse"
    page = cast.browser("nurse_a").get(f"/assessments/{body['id']}/")
    assert "粗筛阳性" in page.content.decode()
