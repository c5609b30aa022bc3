"""Page-side middleware: login everywhere but the API, domain errors as proper pages."""

from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yiyang.core.errors import DomainError

# /api/ and /fhir/ authenticate with bearer tokens inside django-ninja (ninja issue #1461).
TOKEN_PREFIXES = ("/api/", "/fhir/")


class PageLoginRequired(LoginRequiredMiddleware):
    def process_view(self, request, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        if request.path.startswith(TOKEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class DomainErrorPages:
    """A `DomainError` escaping a view renders as 400/403/404/409 with its Chinese message."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, DomainError) or request.path.startswith(TOKEN_PREFIXES):
            return None
        return render(request, "web/error.html", {"error": exc}, status=exc.status)
