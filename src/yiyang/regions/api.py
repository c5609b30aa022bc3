"""`/api/v1/regions`: the division table, readable by every authenticated caller."""


from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from yiyang.regions import queries
from yiyang.regions.schemas import RegionRead

router = Router(tags=["行政区划"])


class RegionQuery(Schema):
    parent_code: str | None = None
    level: int | None = None
    q: str | None = None
    include_retired: bool = False


@router.get("/regions", response=list[RegionRead])
@paginate
def list_regions(request: HttpRequest, filters: Query[RegionQuery]):  # type: ignore[no-untyped-def]
    return queries.regions(
        parent_code=filters.parent_code,
        level=filters.level,
        q=filters.q,
        current_only=not filters.include_retired,
    )


@router.get("/regions/{region_id}", response=RegionRead)
def get_region(request: HttpRequest, region_id: int):  # type: ignore[no-untyped-def]
    return queries.region_by_id(region_id)
