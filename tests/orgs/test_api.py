"""The REST convention: items/count lists, objects by id, Chinese domain errors, 409 on stale."""

from __future__ import annotations

from yiyang.core.models import AuditEvent
from yiyang.orgs.models import Bed, Building, Room


def test_collections_answer_items_and_count(cast) -> None:
    client = cast.api("nurse_a")
    body = client.get("/api/v1/beds?limit=5").json()
    home_a = cast.home_of("nurse_a")
    assert body["count"] == Bed.objects.filter(home=home_a).count()
    assert len(body["items"]) == 5
    one = body["items"][0]
    assert client.get(f"/api/v1/beds/{one['id']}").json()["label"] == one["label"]


def test_filters_are_shared_with_pages(cast) -> None:
    client = cast.api("nurse_a")
    room = Room.objects.filter(home=cast.home_of("nurse_a")).first()
    body = client.get(f"/api/v1/beds?room_id={room.pk}").json()
    assert {b["room_id"] for b in body["items"]} == {room.pk}
    assert body["count"] == room.beds.count()


def test_create_then_stale_patch_is_409_and_changes_nothing(cast) -> None:
    client = cast.api("admin_a")
    home_id = cast.home_of("admin_a").pk
    created = client.post("/api/v1/buildings", {"home_id": home_id, "name": "接口新楼",
                                                 "floors": 2}, content_type="application/json")
    assert created.status_code == 201
    building = created.json()
    ok = client.patch(f"/api/v1/buildings/{building['id']}",
                      {"version": building["version"], "note": "先到"},
                      content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == building["version"] + 1
    stale = client.patch(f"/api/v1/buildings/{building['id']}",
                         {"version": building["version"], "note": "后到"},
                         content_type="application/json")
    assert stale.status_code == 409
    assert stale.json() == {"code": "stale_version", "message": "记录已被他人修改，请刷新后再提交"}
    assert Building.objects.get(pk=building["id"]).note == "先到"


def test_duplicate_bed_answers_400_with_a_chinese_message(cast) -> None:
    client = cast.api("admin_a")
    bed = Bed.objects.filter(home=cast.home_of("admin_a")).select_related("room").first()
    before = (Bed.objects.count(), AuditEvent.objects.count())
    response = client.post("/api/v1/beds", {"room_id": bed.room_id, "label": bed.label},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_bed"
    assert "号床" in response.json()["message"]
    assert (Bed.objects.count(), AuditEvent.objects.count()) == before


def test_malformed_body_is_422_in_chinese(cast) -> None:
    response = cast.api("admin_a").post("/api/v1/beds", {"room_id": "abc"},
                                        content_type="application/json")
    assert response.status_code == 422
    assert response.json()["message"] == "请求数据格式不正确"


def test_nurse_cannot_create_but_gets_403(cast) -> None:
    client = cast.api("nurse_a")
    response = client.post("/api/v1/buildings", {"home_id": cast.home_of("nurse_a").pk,
                                                  "name": "护士楼"},
                           content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_regions_are_readable_with_historical_codes(cast) -> None:
    client = cast.api("nurse_a")
    body = client.get("/api/v1/regions?parent_code=410200&level=3").json()
    names = {item["name"] for item in body["items"]}
    assert {"杞县", "通许县", "兰考县"} <= names
    # 410221100 城关镇 was replaced by 金城街道 in 2019: still resolvable on request.
    old = client.get("/api/v1/regions?q=410221100&include_retired=true").json()["items"]
    assert old and old[0]["valid_to"] is not None
    assert client.get("/api/v1/regions?q=410221100").json()["count"] == 0


def test_me_describes_the_acting_membership(cast) -> None:
    me = cast.api("officer_x").get("/api/v1/me").json()
    assert me["org_kind"] == "regulator"
    assert me["region_code"] == "410221"


def test_openapi_schema_is_published(cast) -> None:
    schema = cast.api("nurse_a").get("/api/v1/openapi.json").json()
    assert "/api/v1/buildings/{building_id}" in schema["paths"]
