"""Bridging services and HTML forms: a `DomainError` becomes a form error, nothing is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from yiyang.core.errors import DomainError

T = TypeVar("T")


def submit(form: forms.Form, action: Callable[..., T], **extra: Any) -> T | None:
    """Run `action(**form.cleaned_data, **extra)`; on a domain error attach it to the form.

    Only input problems (400) and stale versions (409) become form errors; `NotFound` and
    `Forbidden` propagate, so a foreign object answers 404/403 and never a redirect.
    """
    if not form.is_valid():
        return None
    try:
        return action(**form.cleaned_data, **extra)
    except DomainError as exc:
        if exc.status not in (400, 409):
            raise
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return None


class VersionField(forms.IntegerField):
    """The version the user started editing from; a stale one is refused by the service."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, **kwargs)


def form_errors(form: forms.Form) -> str:
    """A form's errors as one Chinese line, for a flash message after a redirect."""
    return "；".join(str(e) for errs in form.errors.values() for e in errs) or "提交失败"


def submit_and_flash(request: HttpRequest, form: forms.Form, action: Callable[..., T],
                     success: str, **extra: Any) -> T | None:
    """`submit`, then a flash message: `success` when it worked, the form's errors otherwise
    (for forms posted from a detail page that redirects back to it)."""
    result = submit(form, action, **extra)
    if result:
        messages.success(request, success)
    else:
        messages.error(request, form_errors(form))
    return result
