"""Cross-organisation routes of the indicator dashboards (issue 10 item 3).

The region pages address home A's county (杞县, officer_x's), the indicator page one indicator of
homes in that county, and the records page home A's records behind that indicator's number.
Only regulators over the region read the region pages; the records page is read by the home
itself and its regulators: another home, the partner doctor (it reads clinical records, not the
home's indicators), an unrelated institution and a community organisation get 404. The pages
are GET only and write nothing.

The indicator used is the first connected home indicator registered; when none is (the
dashboards branch alone has no indicator modules), a probe is registered for the session.
"""

from __future__ import annotations

from tests.security.registry import Route, World, obj
from yiyang.compliance import indicators
from yiyang.compliance.indicators.base import Indicator, RecordRow, Records, Value
from yiyang.compliance.models import IndicatorSnapshot, OrgIndicatorValue
from yiyang.orgs.models import NursingHome

PROBE = "security_probe"


def _probe_compute(org_ids, on):  # type: ignore[no-untyped-def]
    qs = NursingHome.objects.filter(is_active=True)
    if org_ids is not None:
        qs = qs.filter(pk__in=org_ids)
    return {pk: Value(1, 1) for pk in qs.values_list("pk", flat=True)}


def _probe_records(actor, org_id, on):  # type: ignore[no-untyped-def]
    names = NursingHome.objects.visible_to(actor).filter(pk=org_id).values_list("name",
                                                                                flat=True)
    return Records(("机构",), [RecordRow((name,), True) for name in names])


def _home_indicator() -> str:
    for ind in indicators.all_indicators():
        if ind.org_kind == "home" and ind.connected():
            return ind.code
    indicators.register(Indicator(code=PROBE, title="安全测试指标", clause="测试", formula="1/1",
                                  org_kind="home", compute=_probe_compute,
                                  records=_probe_records, order=10_000))
    return PROBE


def build(cast, w: World) -> None:  # type: ignore[no-untyped-def]
    w.extra["indicator"] = _home_indicator()
    w.extra["county"] = w.home_a.region_code[:6]


def state(w: World) -> tuple:
    return (IndicatorSnapshot.objects.count(), OrgIndicatorValue.objects.count())


COUNTY = {"prefix": lambda w: w.extra["county"]}
CODE = {"code": lambda w: w.extra["indicator"]}

ROUTES: dict[str, Route] = {
    "compliance:indicators": Route("list"),
    "compliance:indicator_report": Route("own"),
    "compliance:indicator_regions": obj(**COUNTY),
    "compliance:indicator": obj(**CODE, **COUNTY),
    "compliance:indicator_records": obj(**CODE, pk=lambda w: w.home_a.pk),
}
