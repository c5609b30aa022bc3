"""The resident's photo: the upload page and the file itself, both behind `visible_to`."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yiyang.core.errors import Forbidden
from yiyang.core.forms import submit
from yiyang.core.permissions import Perm
from yiyang.core.scope import Action
from yiyang.orgs.middleware import actor_of
from yiyang.residents import photo_services
from yiyang.residents import queries as resident_queries
from yiyang.residents.forms import PhotoForm

# Shown when there is no photo (yet), so an <img> never breaks: a neutral head and shoulders.
PLACEHOLDER = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 120" width="96" height="120">'
    '<rect width="96" height="120" fill="#eef2f6"/><circle cx="48" cy="44" r="20" fill="#bcccdc"/>'
    '<path d="M12 120c0-24 16-40 36-40s36 16 36 40z" fill="#bcccdc"/></svg>'
)


def upload(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person = resident_queries.resident(actor, person_id, Action.CHANGE)
    if not (actor.can(Perm.ADMIT_RESIDENTS) or actor.can(Perm.EDIT_HEALTH_RECORDS)):
        raise Forbidden()
    form = PhotoForm(request.POST or None, request.FILES or None,
                     initial={"version": person.version})
    if request.method == "POST" and submit(form, photo_services.set_photo, actor=actor,
                                           person_id=person.pk):
        messages.success(request, "照片已更新")
        return redirect("residents:detail", person_id=person.pk)
    return render(request, "residents/photo.html", {"form": form, "person": person},
                  status=400 if form.is_bound else 200)


def photo_file(request: HttpRequest, person_id: int) -> HttpResponse:
    person = resident_queries.resident(actor_of(request), person_id)
    name = person.photo.name
    if name:
        try:
            response = FileResponse(person.photo.storage.open(name, "rb"),
                                    content_type=photo_services.content_type(name))
        except FileNotFoundError:
            response = None
        if response is not None:
            response["Cache-Control"] = "private, max-age=3600"
            return response
    response = HttpResponse(PLACEHOLDER, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-cache"
    return response
