"""Page-number pagination for list pages (the API uses ninja's limit/offset)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 25


def paginate(request: HttpRequest, queryset, per_page: int = PER_PAGE) -> Page:  # type: ignore[no-untyped-def]
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
