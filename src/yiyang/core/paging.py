"""Page-number pagination for list pages (the API uses ninja's limit/offset)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 25


def paginate(request: HttpRequest, queryset, per_page: int | None = None) -> Page:  # type: ignore[no-untyped-def]
    # PER_PAGE is read at call time (not bound as a default) so query-count tests can shrink it.
    return Paginator(queryset, per_page or PER_PAGE).get_page(request.GET.get("page"))
