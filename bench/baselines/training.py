"""Hand-written SQL baselines of the staff-training and TCM indicators (issue 10 item 6).

Each function runs ONE statement over the whole region whose organisation codes start with
`prefix` and returns (numerator, denominator), the figures the snapshot's region value must
equal (see docs/indicators-training.md for the definitions). Portable: `%s` placeholders, no
vendor functions; booleans and dates passed as parameters.
"""

from __future__ import annotations

from datetime import date

from yiyang.compliance import training_rules as tr

_ROLES = sorted(tr.TRAINED_ROLES)
_ROLE_SLOTS = ", ".join(["%s"] * len(_ROLES))

_TRAINING_SQL = f"""
SELECT COALESCE(SUM(x.trained), 0), COUNT(*)
FROM (
    SELECT m.org_id, m.user_id,
           MAX(CASE WHEN EXISTS (
                   SELECT 1
                   FROM compliance_trainingattendance a
                   JOIN compliance_trainingcourse c ON c.id = a.course_id
                   JOIN orgs_membership am ON am.id = a.membership_id
                   WHERE am.user_id = m.user_id AND am.org_id = m.org_id
                     AND c.org_id = m.org_id AND c.held_on >= %s AND c.held_on <= %s)
               THEN 1 ELSE 0 END) AS trained
    FROM orgs_membership m
    JOIN orgs_organisation o ON o.id = m.org_id
    WHERE o.kind = %s AND o.is_active = %s AND m.is_active = %s
      AND m.role IN ({_ROLE_SLOTS}) AND o.region_code LIKE %s
    GROUP BY m.org_id, m.user_id
) x
"""


def _training(kind: str):  # type: ignore[no-untyped-def]
    def baseline(cursor, prefix: str, on: date) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        start, end = tr.training_window(on)
        cursor.execute(_TRAINING_SQL, [start, end, kind, True, True, *_ROLES, prefix + "%"])
        numerator, denominator = cursor.fetchone()
        return int(numerator), int(denominator)
    return baseline


_TCM_SQL = """
SELECT COALESCE(SUM(CASE WHEN x.types >= %s AND x.items >= %s THEN 1 ELSE 0 END), 0), COUNT(*)
FROM (
    SELECT o.id, COUNT(DISTINCT t.technique) AS items, COUNT(DISTINCT t.category) AS types
    FROM orgs_organisation o
    JOIN orgs_nursinghome h ON h.organisation_ptr_id = o.id
    LEFT JOIN compliance_tcmtechnique t
           ON t.org_id = o.id AND t.started_on <= %s
          AND (t.stopped_on IS NULL OR t.stopped_on >= %s)
    WHERE o.is_active = %s AND o.region_code LIKE %s
      AND (h.has_medical_unit = %s OR EXISTS (
              SELECT 1 FROM compliance_clinicfiling f
              WHERE f.home_id = o.id AND f.state = %s AND f.reviewed_on <= %s))
    GROUP BY o.id
) x
"""


def _tcm(cursor, prefix: str, on: date) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    cursor.execute(_TCM_SQL, [tr.MIN_TYPES, tr.MIN_ITEMS, on, on, True, prefix + "%", True,
                              "accepted", on])
    numerator, denominator = cursor.fetchone()
    return int(numerator), int(denominator)


BASELINES = {
    "staff_training": _training("home"),
    "staff_training_medical": _training("medical"),
    "tcm_techniques": _tcm,
}
