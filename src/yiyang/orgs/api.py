"""`/api/v1` routes for organisations, facilities and staff. Thin: parse, call, return."""


from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from yiyang.core.scope import get_visible_or_404
from yiyang.orgs import filters, queries, services
from yiyang.orgs.models import Bed, Building, Room
from yiyang.orgs.schemas import (
    BedCreate,
    BedRead,
    BedUpdate,
    BuildingCreate,
    BuildingRead,
    BuildingUpdate,
    MeRead,
    OrganisationRead,
    OrganisationUpdate,
    RoomCreate,
    RoomRead,
    RoomUpdate,
    StaffRead,
)

router = Router(tags=["机构与设施"])


def _changes(data) -> dict:  # type: ignore[no-untyped-def]
    return data.model_dump(exclude={"version"}, exclude_unset=True)


@router.get("/me", response=MeRead)
def me(request: HttpRequest):  # type: ignore[no-untyped-def]
    actor = request.actor
    return {**actor.__dict__, "permissions": sorted(actor.permissions)}


@router.get("/organisations", response=list[OrganisationRead])
@paginate
def list_organisations(request: HttpRequest):  # type: ignore[no-untyped-def]
    qs = queries.organisations(request.actor)
    return filters.OrganisationFilter(request.GET, queryset=qs).qs


@router.get("/organisations/{org_id}", response=OrganisationRead)
def get_organisation(request: HttpRequest, org_id: int):  # type: ignore[no-untyped-def]
    return queries.organisation(request.actor, org_id)


@router.patch("/organisations/{org_id}", response=OrganisationRead)
def update_organisation(request: HttpRequest, org_id: int, data: OrganisationUpdate):  # type: ignore[no-untyped-def]
    services.update_organisation(
        actor=request.actor, org_id=org_id, version=data.version, **_changes(data)
    )
    return queries.organisation(request.actor, org_id)


@router.get("/buildings", response=list[BuildingRead])
@paginate
def list_buildings(request: HttpRequest):  # type: ignore[no-untyped-def]
    return filters.BuildingFilter(request.GET, queryset=queries.buildings(request.actor)).qs


@router.get("/buildings/{building_id}", response=BuildingRead)
def get_building(request: HttpRequest, building_id: int):  # type: ignore[no-untyped-def]
    return get_visible_or_404(Building, request.actor, pk=building_id)


@router.post("/buildings", response={201: BuildingRead})
def create_building(request: HttpRequest, data: BuildingCreate):  # type: ignore[no-untyped-def]
    return Status(201, services.create_building(actor=request.actor, **data.model_dump()))


@router.patch("/buildings/{building_id}", response=BuildingRead)
def update_building(request: HttpRequest, building_id: int, data: BuildingUpdate):  # type: ignore[no-untyped-def]
    return services.update_building(
        actor=request.actor, building_id=building_id, version=data.version, **_changes(data)
    )


@router.delete("/buildings/{building_id}", response={204: None})
def delete_building(request: HttpRequest, building_id: int):  # type: ignore[no-untyped-def]
    services.delete_building(actor=request.actor, building_id=building_id)
    return Status(204, None)


@router.get("/rooms", response=list[RoomRead])
@paginate
def list_rooms(request: HttpRequest):  # type: ignore[no-untyped-def]
    return filters.RoomFilter(request.GET, queryset=queries.rooms(request.actor)).qs


@router.get("/rooms/{room_id}", response=RoomRead)
def get_room(request: HttpRequest, room_id: int):  # type: ignore[no-untyped-def]
    return get_visible_or_404(Room, request.actor, pk=room_id)


@router.post("/rooms", response={201: RoomRead})
def create_room(request: HttpRequest, data: RoomCreate):  # type: ignore[no-untyped-def]
    return Status(201, services.create_room(actor=request.actor, **data.model_dump()))


@router.patch("/rooms/{room_id}", response=RoomRead)
def update_room(request: HttpRequest, room_id: int, data: RoomUpdate):  # type: ignore[no-untyped-def]
    return services.update_room(
        actor=request.actor, room_id=room_id, version=data.version, **_changes(data)
    )


@router.delete("/rooms/{room_id}", response={204: None})
def delete_room(request: HttpRequest, room_id: int):  # type: ignore[no-untyped-def]
    services.delete_room(actor=request.actor, room_id=room_id)
    return Status(204, None)


@router.get("/beds", response=list[BedRead])
@paginate
def list_beds(request: HttpRequest):  # type: ignore[no-untyped-def]
    return filters.BedFilter(request.GET, queryset=queries.beds(request.actor)).qs


@router.get("/beds/{bed_id}", response=BedRead)
def get_bed(request: HttpRequest, bed_id: int):  # type: ignore[no-untyped-def]
    return get_visible_or_404(Bed, request.actor, pk=bed_id)


@router.post("/beds", response={201: BedRead})
def create_bed(request: HttpRequest, data: BedCreate):  # type: ignore[no-untyped-def]
    return Status(201, services.create_bed(actor=request.actor, **data.model_dump()))


@router.patch("/beds/{bed_id}", response=BedRead)
def update_bed(request: HttpRequest, bed_id: int, data: BedUpdate):  # type: ignore[no-untyped-def]
    return services.update_bed(
        actor=request.actor, bed_id=bed_id, version=data.version, **_changes(data)
    )


@router.delete("/beds/{bed_id}", response={204: None})
def delete_bed(request: HttpRequest, bed_id: int):  # type: ignore[no-untyped-def]
    services.delete_bed(actor=request.actor, bed_id=bed_id)
    return Status(204, None)


@router.get("/staff", response=list[StaffRead])
@paginate
def list_staff(request: HttpRequest):  # type: ignore[no-untyped-def]
    return filters.StaffFilter(request.GET, queryset=queries.staff(request.actor)).qs


@router.get("/staff/{membership_id}", response=StaffRead)
def get_staff(request: HttpRequest, membership_id: int):  # type: ignore[no-untyped-def]
    return get_visible_or_404(queries.staff(request.actor), request.actor, pk=membership_id)
