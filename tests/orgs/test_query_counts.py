"""List pages and endpoints cost the same number of queries for 1 row and for 30 (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

API_LISTS = ["/api/v1/buildings", "/api/v1/rooms", "/api/v1/beds", "/api/v1/staff",
             "/api/v1/organisations", "/api/v1/regions", "/api/v1/residents"]


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", API_LISTS)
def test_api_lists_do_not_grow_with_rows(cast, url: str) -> None:
    client = cast.api("officer_city")
    sep = "&" if "?" in url else "?"
    client.get("/api/v1/me")  # the token's first use records last_used_at once
    one = _queries(client, f"{url}{sep}limit=1")
    many = _queries(client, f"{url}{sep}limit=30")
    assert client.get(f"{url}{sep}limit=30").json()["count"] > 1
    assert one == many


@pytest.mark.parametrize(("username", "name"), [
    ("officer_city", "orgs:directory"), ("admin_a", "orgs:staff"), ("admin_a", "web:audit"),
    ("admin_a", "residents:list"), ("admin_a", "residents:register"),
    ("officer_city", "residents:list"), ("officer_city", "residents:register"),
])
def test_list_pages_do_not_grow_with_rows(cast, username: str, name: str) -> None:
    client = cast.browser(username)
    client.get(reverse("web:dashboard"))  # make an audit row or two exist for admin_a
    # Page size 1 vs the default page: same number of queries.
    small = _queries(client, reverse(name) + "?page=1")
    from yiyang.core import paging

    original = paging.PER_PAGE
    try:
        paging.PER_PAGE = 1
        tiny = _queries(client, reverse(name) + "?page=1")
    finally:
        paging.PER_PAGE = original
    assert tiny == small
