"""Hand-written SQL baselines of the safety indicators (docs/indicators-safety.md).

Each function runs ONE statement and returns (numerator, denominator) of the whole region whose
codes start with `prefix`, as of the end of day `on`; the bench compares it with the snapshot's
region value and times the two. Period bounds and the obligations' period lists are worked out
in Python and passed as parameters; the counting is SQL.

One exception to "portable, no vendor functions": the pressure-injury numerator's 24-hour rule
needs timestamp arithmetic per row, which SQLite (julianday) and PostgreSQL (interval) spell
differently; `_pressure_moment` picks the spelling from the connection's vendor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from yiyang.compliance import obligations, rules
from yiyang.compliance.indicators.safety import (
    pressure_period,
    report_window,
)
from yiyang.infection.readiness_rules import COURSE_DOSES
from yiyang.residents.models import OPEN_STATUSES

__all__ = ["BASELINES"]

_STAGE_TWO_PLUS = ["2", "3", "4", "unstageable", "dtpi"]


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _stages() -> list[str]:
    mucosal = getattr(settings, "PRESSURE_INDICATOR_INCLUDE_MUCOSAL", True)
    return _STAGE_TWO_PLUS + (["mucosal"] if mucosal else [])


def _in(values: list[str]) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def _pressure_moment() -> str:
    """SQL true when lesion `l` was found more than 24 h after the admission of its stay `s`:
    the stay's registration time when registered on the admission day (local), else local
    midnight of the admission day (care.safety_rules.admission_moment)."""
    if connection.vendor == "postgresql":
        tz = settings.TIME_ZONE.replace("'", "")
        midnight = f"(s.admitted_on::timestamp AT TIME ZONE '{tz}')"
        return (f"(CASE WHEN s.created_at >= {midnight} AND s.created_at < {midnight} "
                f"+ INTERVAL '1 day' THEN l.found_at - s.created_at > INTERVAL '24 hours' "
                f"ELSE l.found_at - {midnight} > INTERVAL '24 hours' END)")
    # SQLite: datetimes are stored as UTC text; julianday() counts days. The zone's offset is
    # fixed (Asia/Shanghai has no daylight saving).
    offset = timezone.localtime(timezone.now()).utcoffset()
    hours = offset.total_seconds() / 86400 if offset else 0.0
    midnight = f"(julianday(s.admitted_on) - {hours!r})"
    return (f"(CASE WHEN julianday(s.created_at) >= {midnight} "
            f"AND julianday(s.created_at) < {midnight} + 1 "
            f"THEN julianday(l.found_at) - julianday(s.created_at) > 1 "
            f"ELSE julianday(l.found_at) - {midnight} > 1 END)")


def pressure_injury_rate(cursor, prefix: str, on: date) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    start, end = pressure_period(on)
    since, until = _midnight(start), _midnight(end + timedelta(days=1))
    st = _stages()
    sql = f"""
    SELECT
      (SELECT COUNT(*) FROM (
         SELECT DISTINCT l.home_id, l.person_id
         FROM care_pressureinjury l
         JOIN residents_stay s ON s.id = l.stay_id
         JOIN orgs_organisation o ON o.id = l.home_id
         WHERE o.region_code LIKE %s AND o.is_active = %s
           AND l.present_on_admission = %s
           AND s.admitted_on <= %s AND (s.ended_on IS NULL OR s.ended_on >= %s)
           AND {_pressure_moment()}
           AND ((l.initial_stage IN {_in(st)} AND l.found_at >= %s AND l.found_at < %s)
                OR EXISTS (SELECT 1 FROM care_pressureinjuryobservation b
                           WHERE b.lesion_id = l.id AND b.stage IN {_in(st)}
                             AND b.observed_at >= %s AND b.observed_at < %s))
           AND NOT (l.initial_stage IN {_in(st)} AND l.found_at < %s)
           AND NOT EXISTS (SELECT 1 FROM care_pressureinjuryobservation b
                           WHERE b.lesion_id = l.id AND b.stage IN {_in(st)}
                             AND b.observed_at < %s)) cases),
      (SELECT COUNT(*) FROM (
         SELECT DISTINCT s.home_id, s.person_id
         FROM residents_stay s
         JOIN orgs_organisation o ON o.id = s.home_id
         WHERE o.region_code LIKE %s AND o.is_active = %s
           AND s.admitted_on <= %s AND (s.ended_on IS NULL OR s.ended_on >= %s)) served)
    """
    params = [prefix + "%", True, False, end, start,
              *st, since, until, *st, since, until, *st, since, *st, since,
              prefix + "%", True, end, start]
    cursor.execute(sql, params)
    n, d = cursor.fetchone()
    return int(n or 0), int(d or 0)


def outbreak_reports_on_time(cursor, prefix: str, on: date) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    first, last = report_window(on)
    since = _midnight(first)
    until = min(_midnight(last + timedelta(days=1)), timezone.now())
    cursor.execute("""
        SELECT COUNT(CASE WHEN r.forwarded_at IS NOT NULL AND r.forwarded_at <= r.due_at
                          THEN 1 END),
               COUNT(*)
        FROM infection_outbreakreport r
        JOIN orgs_organisation o ON o.id = r.to_org_id
        WHERE o.kind = %s AND o.is_active = %s AND o.region_code LIKE %s
          AND r.due_at >= %s AND r.due_at <= %s
    """, ["regulator", True, prefix + "%", since, until])
    n, d = cursor.fetchone()
    return int(n or 0), int(d or 0)


def staff_vaccination(cursor, prefix: str, on: date) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    products = list(COURSE_DOSES)
    whens = " ".join(f"WHEN COALESCE(x.product, 'inactivated') = %s AND x.doses >= {n} THEN 1"
                     for n in COURSE_DOSES.values())
    cursor.execute(f"""
        SELECT SUM(CASE {whens} ELSE 0 END), COUNT(*)
        FROM (
          SELECT m.id,
                 (SELECT COUNT(*) FROM infection_staffdose d
                  WHERE d.membership_id = m.id AND d.kind = %s AND d.given_on <= %s) AS doses,
                 (SELECT d.product FROM infection_staffdose d
                  WHERE d.membership_id = m.id AND d.kind = %s AND d.given_on <= %s
                    AND d.product IN {_in(products)}
                  ORDER BY d.given_on, d.id LIMIT 1) AS product
          FROM orgs_membership m
          JOIN orgs_organisation o ON o.id = m.org_id
          WHERE m.is_active = %s AND o.kind = %s AND o.is_active = %s
            AND o.region_code LIKE %s
        ) x
    """, [*products, "primary", on, "primary", on, *products, True, "home", True,
          prefix + "%"])
    n, d = cursor.fetchone()
    return int(n or 0), int(d or 0)


# Where each periodic obligation's count comes from (the builtin sources of compliance).
_SOURCE_KIND = {obligations.RECORDS: "records", "care.education_sessions": "education",
                "care.mental_health_lectures": "mental", "agreements.health_checks": "checkup"}


def obligations_met(cursor, prefix: str, on: date) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Every (home, obligation, period) of the window as rows of a derived table, each
    counted against its requirement; plus the hazard ledger as one item per home."""
    rows, params = [], []
    for o in obligations.CATALOGUE:
        if o.interval is rules.Interval.LEDGER:
            continue
        for p in rules.periods_in_window(o.interval, on):
            rows.append("SELECT %s AS code, %s AS src, %s AS pstart, %s AS pend, %s AS pcap, "
                        "%s AS req")
            params += [o.code, _SOURCE_KIND[o.source], p.start, p.end, min(p.end, on),
                       o.per_period]
    periods = " UNION ALL ".join(rows)
    cutoff = rules.years_before(on, 65)
    open_statuses = [str(s) for s in OPEN_STATUSES]
    sql = f"""
    SELECT SUM(done), SUM(due) FROM (
      SELECT CASE WHEN cnt >= req THEN 1 ELSE 0 END AS done,
             CASE WHEN cnt >= req OR pend < %s THEN 1 ELSE 0 END AS due
      FROM (
        SELECT p.pend,
          CASE p.src
            WHEN 'records' THEN (SELECT COUNT(*) FROM compliance_obligationrecord r
                                 WHERE r.home_id = h.id AND r.obligation = p.code
                                   AND r.done_on >= p.pstart AND r.done_on <= p.pcap)
            WHEN 'education' THEN (SELECT COUNT(*) FROM care_educationsession e
                                   WHERE e.home_id = h.id AND e.held_on >= p.pstart
                                     AND e.held_on <= p.pend)
            WHEN 'mental' THEN (SELECT COUNT(*) FROM care_educationsession e
                                WHERE e.home_id = h.id AND e.kind = %s
                                  AND e.held_on >= p.pstart AND e.held_on <= p.pend)
            ELSE (SELECT COALESCE(SUM(v.people), 0) FROM agreements_servicerecord v
                  WHERE v.home_id = h.id AND v.kind = %s
                    AND v.delivered_on >= p.pstart AND v.delivered_on <= p.pend)
          END AS cnt,
          CASE WHEN p.src = 'checkup' THEN
            (SELECT COUNT(*) FROM residents_stay s
             JOIN residents_person q ON q.id = s.person_id
             WHERE s.home_id = h.id AND s.status IN {_in(open_statuses)}
               AND q.birth_date <= %s)
          ELSE p.req END AS req
        FROM orgs_organisation h
        CROSS JOIN ({periods}) p
        WHERE h.kind = %s AND h.is_active = %s AND h.region_code LIKE %s
      ) x
      UNION ALL
      SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM compliance_hazard z
                                   WHERE z.home_id = h.id AND z.state = %s) THEN 1 ELSE 0 END,
             CASE WHEN NOT EXISTS (SELECT 1 FROM compliance_hazard z
                                   WHERE z.home_id = h.id AND z.state = %s)
                    OR EXISTS (SELECT 1 FROM compliance_hazard z
                               WHERE z.home_id = h.id AND z.state = %s AND z.deadline < %s)
                  THEN 1 ELSE 0 END
      FROM orgs_organisation h
      WHERE h.kind = %s AND h.is_active = %s AND h.region_code LIKE %s
    ) t
    """
    all_params = [on, "mental", "health_check", *open_statuses, cutoff, *params,
                  "home", True, prefix + "%",
                  "open", "open", "open", on, "home", True, prefix + "%"]
    cursor.execute(sql, all_params)
    n, d = cursor.fetchone()
    return int(n or 0), int(d or 0)


BASELINES: dict[str, Callable[..., tuple[int, int]]] = {
    "pressure_injury_rate": pressure_injury_rate,
    "outbreak_reports_on_time": outbreak_reports_on_time,
    "staff_vaccination": staff_vaccination,
    "obligations_met": obligations_met,
}
