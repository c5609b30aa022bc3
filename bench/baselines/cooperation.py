"""Hand-written SQL baselines of the cooperation indicators (docs/indicators-cooperation.md).

Each function runs ONE statement over the whole region whose codes start with `prefix` and
returns its (numerator, denominator), the figure the snapshot's roll-up must equal.  Portable
to SQLite and PostgreSQL: `%s` placeholders, ISO date strings, no vendor functions (day
numbers of the patrol due dates come from the date's year, month and day by integer
arithmetic).  Nothing here imports the indicator code except the patrol period.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from yiyang.compliance.indicators._cooperation_rules import julian_day, patrol_period

__all__ = ["BASELINES"]

# Agreement states whose term can be in force (published … renewed, plus the end states whose
# term was in force before they ended) and the state that ends a term early.
_STATES = ("published", "active", "expiring", "renewed", "expired", "terminated")
_IN = ", ".join(["%s"] * len(_STATES))

_IN_FORCE = f"""
    a.state IN ({_IN}) AND a.start_on <= %s AND a.end_on >= %s
    AND (a.terminated_on > %s OR (a.terminated_on IS NULL AND a.state <> 'terminated'))"""


def _in_force_params(day: str) -> list[Any]:
    return [*_STATES, day, day, day]


def _one(cursor: Any, sql: str, params: list[Any]) -> tuple[int, int]:
    cursor.execute(sql, params)
    numerator, denominator = cursor.fetchone()
    return int(numerator or 0), int(denominator or 0)


def agreement_coverage(cursor: Any, prefix: str, on: date) -> tuple[int, int]:
    day = on.isoformat()
    sql = f"""
SELECT COUNT(CASE WHEN EXISTS (SELECT 1 FROM agreements_agreement a
                               WHERE a.home_id = o.id AND {_IN_FORCE}) THEN 1 END),
       COUNT(*)
FROM orgs_organisation o
WHERE o.kind = %s AND o.is_active = %s AND o.region_code LIKE %s"""
    return _one(cursor, sql, [*_in_force_params(day), "home", True, f"{prefix}%"])


def integrated_counties(cursor: Any, prefix: str, on: date) -> tuple[int, int]:
    """Counties (6-digit prefixes) with a counting home / current counties of the region plus
    any county a home sits in."""
    day = on.isoformat()
    sql = f"""
SELECT
  (SELECT COUNT(DISTINCT SUBSTR(o.region_code, 1, 6))
   FROM orgs_organisation o JOIN orgs_nursinghome h ON h.organisation_ptr_id = o.id
   WHERE o.kind = %s AND o.is_active = %s AND o.region_code LIKE %s
     AND (EXISTS (SELECT 1 FROM compliance_clinicfiling f
                  WHERE f.home_id = o.id AND f.state = %s AND f.filed_on <= %s)
          OR EXISTS (SELECT 1 FROM agreements_agreement a
                     WHERE a.home_id = o.id AND {_IN_FORCE})
          OR (h.has_medical_unit = %s AND h.medical_unit_type IN (%s, %s)
              AND h.medical_filing_no <> ''))),
  (SELECT COUNT(*) FROM (
     SELECT SUBSTR(r.code, 1, 6) AS county FROM regions_region r
     WHERE r.level = %s AND r.valid_to IS NULL AND r.code LIKE %s
     UNION
     SELECT SUBSTR(o2.region_code, 1, 6) FROM orgs_organisation o2
     WHERE o2.kind = %s AND o2.is_active = %s AND o2.region_code LIKE %s) counties)"""
    like = f"{prefix}%"
    params = ["home", True, like, "accepted", day, *_in_force_params(day),
              True, "outpatient", "hospital", 3, like, "home", True, like]
    return _one(cursor, sql, params)


def _jdn(column: str) -> str:
    """Julian Day Number of a date column, from its ISO text (see `julian_day`)."""
    text = f"CAST({column} AS VARCHAR(10))"
    y = f"CAST(SUBSTR({text}, 1, 4) AS INTEGER)"
    m = f"CAST(SUBSTR({text}, 6, 2) AS INTEGER)"
    d = f"CAST(SUBSTR({text}, 9, 2) AS INTEGER)"
    a = f"((14 - {m}) / 12)"
    yy = f"({y} + 4800 - {a})"
    mm = f"({m} + 12 * {a} - 3)"
    return (f"({d} + (153 * {mm} + 2) / 5 + 365 * {yy} + {yy} / 4 - {yy} / 100"
            f" + {yy} / 400 - 32045)")


def patrol_visits(cursor: Any, prefix: str, on: date) -> tuple[int, int]:
    """Per agreement: due dates start + k·interval in the period and the term (before any
    termination date), visits in the period capped at that number; summed."""
    first, last = patrol_period(on)
    p0, p1 = julian_day(first), julian_day(last)
    sql = f"""
SELECT SUM(CASE WHEN made < due THEN made ELSE due END), SUM(due)
FROM (
  SELECT CASE WHEN hi < lo THEN 0 ELSE (hi - s) / i - (lo - s + i - 1) / i + 1 END AS due, made
  FROM (
    SELECT s, i, made,
           CASE WHEN s > %s THEN s ELSE %s END AS lo,
           CASE WHEN l < %s THEN l ELSE %s END AS hi
    FROM (
      SELECT {_jdn("a.start_on")} AS s, a.patrol_interval_days AS i,
             CASE WHEN a.terminated_on IS NOT NULL AND a.terminated_on <= a.end_on
                  THEN {_jdn("a.terminated_on")} - 1 ELSE {_jdn("a.end_on")} END AS l,
             (SELECT COUNT(*) FROM agreements_patrolvisit v
              WHERE v.agreement_id = a.id AND v.visited_on >= %s AND v.visited_on <= %s) AS made
      FROM agreements_agreement a JOIN orgs_organisation o ON o.id = a.home_id
      WHERE o.kind = %s AND o.is_active = %s AND o.region_code LIKE %s
        AND a.state IN ({_IN}) AND a.patrol_interval_days IS NOT NULL
        AND a.start_on <= %s AND a.end_on >= %s
        AND (a.terminated_on IS NULL OR a.terminated_on > %s)
    ) t1
  ) t2
) t3"""
    params = [p0, p0, p1, p1, first.isoformat(), last.isoformat(), "home", True, f"{prefix}%",
              *_STATES, last.isoformat(), first.isoformat(), first.isoformat()]
    return _one(cursor, sql, params)


def _eighty_years_before(on: date) -> date:
    """Born on or before this day: 80 or older on `on` (29 February: the last day of February
    80 years before)."""
    if (on.month, on.day) == (2, 29):
        return date(on.year - 80, 3, 1) - timedelta(days=1)
    return date(on.year - 80, on.month, on.day)


def family_doctor_coverage(cursor: Any, prefix: str, on: date) -> tuple[int, int]:
    day = on.isoformat()
    sql = """
SELECT COUNT(CASE WHEN EXISTS (
         SELECT 1 FROM community_familydoctorcontract c
         WHERE c.entry_id = e.id AND c.start_on <= %s AND c.end_on >= %s
           AND (c.terminated_on IS NULL OR c.terminated_on > %s)) THEN 1 END),
       COUNT(*)
FROM community_ledgerentry e
  JOIN orgs_organisation o ON o.id = e.org_id
  JOIN residents_person p ON p.id = e.person_id
WHERE o.kind = %s AND o.is_active = %s AND o.region_code LIKE %s
  AND e.listed_on <= %s AND (e.status = %s OR e.ended_on > %s)
  AND (e.dependent = %s OR e.disabled = %s OR p.birth_date <= %s)
  AND NOT EXISTS (SELECT 1 FROM residents_stay s
                  WHERE s.person_id = e.person_id AND s.admitted_on <= %s
                    AND (s.ended_on IS NULL OR s.ended_on > %s))"""
    params = [day, day, day, "community", True, f"{prefix}%", day, "active", day, True, True,
              _eighty_years_before(on).isoformat(), day, day]
    return _one(cursor, sql, params)


BASELINES = {
    "agreement_coverage": agreement_coverage,
    "integrated_counties": integrated_counties,
    "patrol_visits": patrol_visits,
    "family_doctor_coverage": family_doctor_coverage,
}
