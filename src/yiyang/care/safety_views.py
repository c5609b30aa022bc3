"""Pages of pressure injuries (list, record, detail with the healing record, the indicator per
home), incidents (list, report, detail with follow-up) and health education (list with the
monthly count, record, detail).  Thin: parse, call a service or a query, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiyang.core.downloads import private_file
from yiyang.core.errors import Forbidden, NotFound
from yiyang.core.forms import submit, submit_and_flash
from yiyang.core.paging import paginate
from yiyang.core.permissions import OrgKind, Perm, require
from yiyang.core.scope import Actor
from yiyang.orgs import queries as org_queries
from yiyang.orgs.middleware import actor_of
from yiyang.residents import photo_services
from yiyang.residents import queries as resident_queries

from . import safety_forms as forms
from . import safety_queries as queries
from . import safety_rules as rules
from . import safety_services as services
from .models import EducationSession

_KINDS = {k.value: k for k in rules.PeriodKind}


def _home_stay(actor: Actor, person_id: int, perm: Perm):  # type: ignore[no-untyped-def]
    """The resident (visible) in an open stay of the actor's own home, for a write form."""
    person = resident_queries.resident(actor, person_id)
    require(actor, perm)
    stay = queries.open_stay(actor, person.pk)
    if stay is None or actor.org_kind != OrgKind.HOME or stay.home_id != actor.org_id:
        raise NotFound()
    return person, stay


def _pickable(actor: Actor, perm: Perm, url_name: str) -> list[tuple[str, str]]:
    """(create URL, name) of the home's residents in an open stay, for the "登记" picker."""
    if actor.org_kind != OrgKind.HOME or not actor.can(perm):
        return []
    return [(reverse(url_name, args=[pk]), name) for pk, name in queries.home_residents(actor)]


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value or default)
    except ValueError:
        return default
    return number if low <= number <= high else default


# ---- pressure injuries ---------------------------------------------------------------------


def wound_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    state = request.GET.get("state", "open")
    rows = queries.lesions(actor, open_only=state == "open",
                           acquired_only=state == "acquired", q=request.GET.get("q", ""))
    return render(request, "care/wound_list.html", {
        "page": paginate(request, rows), "state": state, "q": request.GET.get("q", ""),
        "show_home": actor.org_kind != OrgKind.HOME,
        "pick": _pickable(actor, Perm.RECORD_PRESSURE_INJURIES, "care:wound_create"),
    })


def wound_create(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person, stay = _home_stay(actor, person_id, Perm.RECORD_PRESSURE_INJURIES)
    form = forms.LesionForm(request.POST or None)
    if request.method == "POST":
        lesion = submit(form, services.record_lesion, actor=actor, person_id=person_id)
        if lesion:
            messages.success(request, f"已登记：{lesion.get_site_display()} "
                                      f"{lesion.get_stage_display()}")
            return redirect("care:wound_detail", pk=lesion.pk)
    return render(request, "care/wound_form.html", {"form": form, "person": person,
                                                    "stay": stay},
                  status=400 if form.is_bound else 200)


def wound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    lesion = queries.lesion(actor, pk)
    can_write = (actor.can(Perm.RECORD_PRESSURE_INJURIES) and actor.org_kind == OrgKind.HOME
                 and actor.org_id == lesion.home_id)
    return render(request, "care/wound_detail.html", {
        "lesion": lesion, "observations": list(lesion.observations.all()),
        "form": forms.ObservationForm(initial={"version": lesion.version,
                                               "stage": lesion.stage}) if can_write else None,
    })


@require_POST
def wound_observe(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    queries.lesion(actor, pk)
    require(actor, Perm.RECORD_PRESSURE_INJURIES)
    submit_and_flash(request, forms.ObservationForm(request.POST, request.FILES),
                     services.add_observation, "已记录观察", actor=actor, lesion_id=pk)
    return redirect("care:wound_detail", pk=pk)


def wound_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The photo of one healing-record entry, to whoever may read the entry (404 otherwise)."""
    photo = queries.observation(actor_of(request), pk).photo
    return private_file(photo, cache="private, max-age=3600",
                        content_type=photo_services.content_type(photo.name or ""))


def pressure_home(request: HttpRequest) -> HttpResponse:
    """The indicator of the actor's own home; a regulator gets this year's table of homes."""
    actor = actor_of(request)
    if actor.org_kind == OrgKind.HOME:
        return _indicator(request, actor, actor.org_id)
    if actor.org_kind != OrgKind.REGULATOR:
        raise Forbidden()
    year = timezone.localdate().year
    homes = list(org_queries.homes(actor).order_by("name")[:200])
    results = queries.pressure_by_home(actor, [h.pk for h in homes],
                                       rules.Period(rules.PeriodKind.YEAR, year))
    return render(request, "care/pressure_homes.html", {
        "rows": [(h, results.get(h.pk)) for h in homes], "year": year,
        "limit": rules.RATE_LIMIT_PERCENT})


def pressure_indicator(request: HttpRequest, org_id: int) -> HttpResponse:
    actor = actor_of(request)
    return _indicator(request, actor, org_id)


def _indicator(request: HttpRequest, actor: Actor, home_id: int) -> HttpResponse:
    home = queries.indicator_home(actor, home_id)
    today = timezone.localdate()
    kind = _KINDS.get(request.GET.get("by", ""), rules.PeriodKind.MONTH)
    year = _int(request.GET.get("year"), today.year, 2000, today.year)
    series = queries.pressure_series(actor, home.pk, kind, year)
    if kind == rules.PeriodKind.MONTH and year == today.year and len(series) < 12:
        # the trend reaches back twelve months
        last_year = queries.pressure_series(actor, home.pk, kind, year - 1)
        series = (last_year + series)[-12:]
    chosen = None
    if series:
        number = _int(request.GET.get("n"), 0, 1, 12)
        chosen = next((r for r in series if r.period.number == number
                       and r.period.year == year), series[-1])
    people = queries.people_by_id(actor, set(chosen.denominator_person_ids)) if chosen else {}
    case_lesions = []
    if chosen and chosen.case_lesion_ids:
        case_lesions = list(queries.lesions(actor, home_id=home.pk)
                            .filter(pk__in=chosen.case_lesion_ids).order_by("found_at"))
    chart = {
        "title": "Ⅱ期及以上压力性损伤新发生率（%）", "type": "line",
        "categories": [r.period.label for r in series],
        "series": [
            {"name": "新发生率（%）", "data": [r.rate for r in series], "color": "#0b6e4f",
             "itemStyle": {"color": "#0b6e4f"}},
            {"name": f"控制线 {rules.RATE_LIMIT_PERCENT}%", "data":
             [rules.RATE_LIMIT_PERCENT for _ in series], "symbol": "none",
             "lineStyle": {"type": "dashed", "color": "#c0392b"},
             "itemStyle": {"color": "#c0392b"}},
        ],
    }
    return render(request, "care/pressure_indicator.html", {
        "home": home, "kind": kind, "year": year, "series": series, "chosen": chosen,
        "chart": chart, "limit": rules.RATE_LIMIT_PERCENT, "case_lesions": case_lesions,
        "denominator_people": sorted(people.values(), key=lambda p: p.name),
        "kinds": [(k.value, {"month": "按月", "quarter": "按季度", "year": "按年"}[k.value])
                  for k in rules.PeriodKind],
        "years": list(range(today.year, today.year - 3, -1)),
        "mucosal": queries.include_mucosal(),
    })


# ---- incidents -----------------------------------------------------------------------------


def incident_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    kind = request.GET.get("kind", "")
    if kind not in {k.value for k in rules.IncidentKind}:
        kind = ""
    rows = queries.incidents(actor, kind=kind, q=request.GET.get("q", ""))
    return render(request, "care/incident_list.html", {
        "page": paginate(request, rows), "kind": kind, "q": request.GET.get("q", ""),
        "kinds": [(k.value, k.label) for k in rules.IncidentKind],
        "show_home": actor.org_kind != OrgKind.HOME,
        "pick": _pickable(actor, Perm.RECORD_INCIDENTS, "care:incident_create"),
    })


def incident_create(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person, stay = _home_stay(actor, person_id, Perm.RECORD_INCIDENTS)
    form = forms.IncidentForm(request.POST or None)
    if request.method == "POST":
        incident = submit(form, services.record_incident, actor=actor, person_id=person_id)
        if incident:
            note = "，已列入即时评估" if incident.trigger_id else ""
            messages.success(request, f"已报告：{incident.get_kind_display()}{note}")
            return redirect("care:incident_detail", pk=incident.pk)
    return render(request, "care/incident_form.html", {"form": form, "person": person,
                                                       "stay": stay},
                  status=400 if form.is_bound else 200)


def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    incident = queries.incident(actor, pk)
    can_write = (actor.can(Perm.RECORD_INCIDENTS) and actor.org_kind == OrgKind.HOME
                 and actor.org_id == incident.home_id)
    return render(request, "care/incident_detail.html", {
        "incident": incident,
        "form": forms.IncidentFollowUpForm(initial={
            "version": incident.version, "follow_up": incident.follow_up,
            "closed": incident.closed}) if can_write else None,
    })


@require_POST
def incident_update(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    queries.incident(actor, pk)
    require(actor, Perm.RECORD_INCIDENTS)
    submit_and_flash(request, forms.IncidentFollowUpForm(request.POST), services.update_incident,
                     "已更新后续跟进", actor=actor, incident_id=pk)
    return redirect("care:incident_detail", pk=pk)


# ---- education -----------------------------------------------------------------------------


def education_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year, 2000, today.year)
    rows = queries.education_sessions(actor, year=year)
    home_id = actor.org_id if actor.org_kind == OrgKind.HOME else None
    return render(request, "care/education_list.html", {
        "page": paginate(request, rows), "year": year,
        "years": list(range(today.year, today.year - 3, -1)),
        "calendar": queries.education_calendar(actor, home_id, year) if home_id else None,
        "can_record": actor.can(Perm.RECORD_EDUCATION) and home_id is not None,
        "show_home": home_id is None,
    })


def education_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, Perm.RECORD_EDUCATION)
    if actor.org_kind != OrgKind.HOME:
        raise Forbidden()
    residents = queries.home_residents(actor)
    form = forms.EducationForm(request.POST or None, residents=residents)
    if request.method == "POST":
        session = submit(form, services.record_education, actor=actor)
        if session:
            messages.success(request, f"已登记：{session.topic}")
            return redirect("care:education_detail", pk=session.pk)
    return render(request, "care/education_form.html", {"form": form},
                  status=400 if form.is_bound else 200)


def education_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    session: EducationSession = queries.education_session(actor, pk)
    return render(request, "care/education_detail.html", {
        "session": session, "attendees": list(session.attendees.all())})
