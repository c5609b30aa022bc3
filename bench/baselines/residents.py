"""Hand-written SQL baselines of the residents' indicators (docs/indicators-residents.md).

Each function runs ONE statement over the homes whose region codes start with `prefix` and
returns the region's (numerator, denominator), the figure the snapshot's roll-up must equal.
Portable to SQLite and PostgreSQL: `%s` placeholders, dates passed as `date` objects, no vendor
functions. The admission deadline (admission + 7 days) is the one date computed per row: a
calendar of the window's admission days and their deadlines is passed as a `VALUES` list
rather than written with a vendor's date arithmetic. Only data is taken from the apps (vaccine
courses, routine intervals, which triggers re-open which instrument).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from yiyang.assessments.queries import routine_days
from yiyang.assessments.schedule_rules import (
    FIRST_WITHIN_DAYS,
    IMMEDIATE_WITHIN_DAYS,
    TRIGGERED,
    TriggerKind,
)
from yiyang.compliance.indicators._resident_rules import born_by, year_before
from yiyang.residents.vaccines import DEFAULT_SERIES, PRIMARY_SERIES

__all__ = ["BASELINES"]

_HOMES = """
FROM residents_stay s
JOIN residents_person p ON p.id = s.person_id
JOIN orgs_organisation o ON o.id = s.home_id
WHERE o.kind = %s AND o.is_active = %s AND o.region_code LIKE %s"""

_OPEN = " AND s.admitted_on <= %s AND (s.ended_on IS NULL OR s.ended_on > %s)"

_REGISTER = """ AND (p.birth_date <= %s OR EXISTS (
    SELECT 1 FROM residents_healthprofile h WHERE h.person_id = p.id
    AND (h.disability_level <> %s OR h.disability_certificate_no <> %s)))"""


def _homes(prefix: str) -> list[Any]:
    return ["home", True, f"{prefix}%"]


def _one(cursor: Any, sql: str, params: list[Any]) -> tuple[int, int]:
    cursor.execute(sql, params)
    numerator, denominator = cursor.fetchone()
    return int(numerator or 0), int(denominator or 0)


def key_populations(cursor: Any, prefix: str, on: date) -> tuple[int, int]:
    sql = f"""
SELECT COUNT(CASE WHEN p.birth_date <= %s OR EXISTS (
           SELECT 1 FROM residents_healthprofile h WHERE h.person_id = p.id
           AND (h.disability_level <> %s OR h.disability_certificate_no <> %s)) THEN 1 END),
       COUNT(*) {_HOMES}{_OPEN}"""
    return _one(cursor, sql, [born_by(on, 60), "0", "", *_homes(prefix), on, on])


def resident_vaccination(cursor: Any, prefix: str, on: date) -> tuple[int, int]:
    courses = " ".join("WHEN %s THEN %s" for _ in PRIMARY_SERIES)
    sql = f"""
SELECT COUNT(CASE WHEN r.received >= r.course THEN 1 END), COUNT(*)
FROM (SELECT
        (SELECT COUNT(DISTINCT d.dose_number) FROM residents_vaccination d
         WHERE d.person_id = s.person_id AND d.kind = %s AND d.given_on <= %s) AS received,
        (SELECT CASE f.product {courses} ELSE %s END FROM residents_vaccination f
         WHERE f.person_id = s.person_id AND f.kind = %s AND f.given_on <= %s
         ORDER BY f.given_on, f.id LIMIT 1) AS course
      {_HOMES}{_OPEN}{_REGISTER}) r"""
    params = ["dose", on, *[x for pair in PRIMARY_SERIES.items() for x in pair], DEFAULT_SERIES,
              "dose", on, *_homes(prefix), on, on, born_by(on, 60), "0", ""]
    return _one(cursor, sql, params)


def admission_assessment(cursor: Any, prefix: str, on: date) -> tuple[int, int]:
    first = year_before(on) + timedelta(days=1)
    last = on - timedelta(days=FIRST_WITHIN_DAYS)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    if not days:
        return 0, 0
    calendar = ", ".join("(%s, %s)" for _ in days)
    sql = f"""
WITH cal(day, deadline) AS (VALUES {calendar})
SELECT COUNT(CASE WHEN EXISTS (
           SELECT 1 FROM assessments_admissionassessment a
           WHERE a.stay_id = s.id AND a.status = %s AND a.completed_on <= c.deadline)
           THEN 1 END),
       COUNT(*)
FROM residents_stay s
JOIN cal c ON c.day = s.admitted_on
JOIN orgs_organisation o ON o.id = s.home_id
WHERE o.kind = %s AND o.is_active = %s AND o.region_code LIKE %s
  AND (s.ended_on IS NULL OR s.ended_on >= c.deadline)"""
    params = [x for d in days for x in (d, d + timedelta(days=FIRST_WITHIN_DAYS))]
    return _one(cursor, sql, [*params, "complete", *_homes(prefix)])


Sql = tuple[str, list[Any]]


def _done(code: str, on: date) -> Sql:
    return ("""EXISTS (SELECT 1 FROM assessments_assessment a WHERE a.stay_id = s.id
        AND a.instrument = %s AND a.status = 'final' AND a.assessed_on <= %s)""", [code, on])


def _none_since(column: str, code: str, on: date, extra: list[Any] | None = None) -> Sql:
    """No finished record of `code` in the stay dated from `column` up to `on`."""
    return (f"""NOT EXISTS (SELECT 1 FROM assessments_assessment x WHERE x.stay_id = s.id
        AND x.instrument = %s AND x.status = 'final' AND x.assessed_on <= %s
        AND x.assessed_on >= {column})""", [code, on, *(extra or [])])


def _late(code: str, interval: int | None, on: date) -> Sql | None:
    """The instrument was done in the stay and its re-assessment is overdue on `on`."""
    cutoff = on - timedelta(days=IMMEDIATE_WITHIN_DAYS)
    reasons: list[Sql] = []
    if interval:
        reasons.append(_none_since("%s", code, on, [on - timedelta(days=interval)]))
    kinds = [k.value for k, codes in TRIGGERED.items() if code in codes]
    if kinds:
        answered, more = _none_since("t.occurred_on", code, on)
        marks = ", ".join(["%s"] * len(kinds))
        reasons.append((f"""EXISTS (SELECT 1 FROM assessments_reassessmenttrigger t
            WHERE t.stay_id = s.id AND t.kind IN ({marks}) AND t.occurred_on < %s
            AND t.occurred_on >= s.admitted_on AND {answered})""", [*kinds, cutoff, *more]))
    if code in TRIGGERED[TriggerKind.HOSPITAL_RETURN]:
        answered, more = _none_since("e.occurred_on", code, on)
        reasons.append((f"""EXISTS (SELECT 1 FROM residents_stayeventrecord e
            WHERE e.stay_id = s.id AND e.event = %s AND e.occurred_on < %s
            AND e.occurred_on >= s.admitted_on AND {answered})""",
                        ["return_from_hospital", cutoff, *more]))
    if code in TRIGGERED[TriggerKind.LEVEL_CHANGE]:
        answered, more = _none_since("g.assessed_on", code, on)
        reasons.append((f"""EXISTS (SELECT 1 FROM assessments_assessment g
            WHERE g.stay_id = s.id AND g.instrument = 'gbt42195' AND g.status = 'final'
            AND g.assessed_on <= %s AND g.assessed_on < %s
            AND NOT EXISTS (SELECT 1 FROM assessments_assessment gc
                            WHERE gc.corrects_id = g.id AND gc.status = 'final')
            AND g.level <> (
                SELECT b.level FROM assessments_assessment b
                WHERE b.stay_id = g.stay_id AND b.instrument = 'gbt42195'
                AND b.status = 'final' AND b.assessed_on <= %s
                AND NOT EXISTS (SELECT 1 FROM assessments_assessment bc
                                WHERE bc.corrects_id = b.id AND bc.status = 'final')
                AND (b.assessed_on < g.assessed_on
                     OR (b.assessed_on = g.assessed_on AND b.id < g.id))
                ORDER BY b.assessed_on DESC, b.id DESC LIMIT 1)
            AND {answered})""", [on, cutoff, on, *more]))
    if not reasons:
        return None
    done, done_params = _done(code, on)
    return (f"({done} AND ({' OR '.join(r for r, _ in reasons)}))",
            [*done_params, *(x for _, p in reasons for x in p)])


def reassessment_on_time(cursor: Any, prefix: str, on: date) -> tuple[int, int]:
    days = routine_days()
    if not days:
        return 0, 0
    late = [x for code, interval in days.items() if (x := _late(code, interval, on))]
    done = [_done(code, on) for code in days]
    late_sql = " OR ".join(sql for sql, _ in late) or "1 = 0"
    sql = f"""
SELECT COUNT(CASE WHEN NOT ({late_sql}) THEN 1 END), COUNT(*)
{_HOMES}{_OPEN} AND ({" OR ".join(sql for sql, _ in done)})"""
    params = [*(x for _, p in late for x in p), *_homes(prefix), on, on,
              *(x for _, p in done for x in p)]
    return _one(cursor, sql, params)


BASELINES = {
    "key_populations": key_populations,
    "resident_vaccination": resident_vaccination,
    "admission_assessment": admission_assessment,
    "reassessment_on_time": reassessment_on_time,
}
