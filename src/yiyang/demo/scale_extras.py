"""What the indicators count, at province scale (`yiyang gen`, issue "Regulators' workspace"
item 6): after `scale.generate` has made the homes and admitted the residents, this adds, for a
realistic share of them, every source an indicator reads:

* residents: COVID vaccinations and underlying conditions (`residents`), the admission
  assessment with its ability assessment and the latest routine re-assessment, some overdue
  (`assessments`), pressure-injury lesions with their stage history (`care`);
* homes: staff (users, memberships, posts, vaccine doses: `infection` readiness), health
  education and mental-health lectures (`care`), obligation records and hazards, clinic filings
  (`compliance`), a cooperation agreement in force with patrol visits and the annual health
  check (`agreements`), outbreaks with the report chain home → county → city → province, some
  late (`infection`);
* per county with generated homes: a medical institution (the homes' partner) and a township
  with two villages keeping the ledger of elderly people at home, most with a family-doctor
  contract (`community`);
* one login per regulator of the province (`is_demo=False`, no usable password), so the bench
  can open a regulator's dashboard.

Rows are written with `core.bulk_insert` (multi-row INSERT on SQLite, COPY on PostgreSQL),
bypassing the services and the audit trail on purpose: this is a synthetic load generator, like
the import's `admit_many`, and per-row services would take hours at this scale. The rows obey
the models' constraints and scope fields (`region_code` = the owning organisation's code,
`version` 1, timestamps), and are drawn from the seeded `random.Random`, so the same arguments
on an empty database give the same rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from yiyang.core.bulk_insert import Ids, Table
from yiyang.core.permissions import OrgKind, Role
from yiyang.demo import people
from yiyang.orgs.models import (
    CommunityOrg,
    MedicalInstitution,
    Membership,
    NursingHome,
    Regulator,
    User,
)
from yiyang.regions.models import Region
from yiyang.residents.models import OPEN_STATUSES, Person, Stay
from yiyang.residents.search import pinyin_keys

__all__ = ["SHARES", "generate_extras"]

# Shares drawn per home or per resident (documented in docs/operations.md, "yiyang gen").
SHARES = {
    "agreement_in_force": 0.80,  # homes with a cooperation agreement in force
    "agreement_expired": 0.06,  # homes whose only agreement has expired
    "patrol_missed": 0.15,  # patrol visits due but not made
    "clinic_filing": 0.35,  # homes that filed an internal clinic
    "outbreak": 0.06,  # homes with an outbreak in the last year
    "outbreak_late": 0.25,  # of reports: forwarded or filed after 2 hours
    "admission_missing": 0.04,  # stays without an admission assessment
    "admission_open": 0.04,  # admission assessment started, not finished
    "reassessment_overdue": 0.12,  # latest routine ability assessment older than 180 days
    "pressure_injury": 0.03,  # residents with a lesion found in the last 6 months
    "staff_per_resident": 0.125,  # one staff member per 8 residents
    "staff_vaccinated": 0.85,
    "month_missed": 0.10,  # a monthly duty not done in a given month
    "family_doctor": 0.65,  # ledger entries with a contract in force
}
LEDGER_PER_VILLAGE = 25
VILLAGES_PER_TOWNSHIP = 2
HOMES_PER_TRANSACTION = 25
GEN_USER_PREFIX = "gen-"  # usernames of the logins made here: gen-<credit code>


@dataclass
class _Writer:
    """Bulk inserts for one transaction: ids reserved per model (`Ids`), one compiled `Table`
    per (model, columns)."""

    ids: dict[type[models.Model], Ids] = field(default_factory=dict)
    tables: dict[tuple[type[models.Model], tuple[str, ...]], Table] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def put(self, model: type[models.Model], rows: Sequence[dict[str, Any]], *,
            with_ids: bool = False) -> list[int]:
        if not rows:
            return []
        taken: list[int] = []
        if with_ids:
            taken = self.ids.setdefault(model, Ids(model)).take(len(rows))
            for row, pk in zip(rows, taken, strict=True):
                row["id"] = pk
        keys = tuple(rows[0])
        table = self.tables.get((model, keys))
        if table is None:
            table = self.tables[(model, keys)] = Table(model, keys)
        table.write(table.prepare(rows))
        self.counts[model._meta.label] += len(rows)
        return taken


def _at(day: date, minutes: int) -> datetime:
    """An aware datetime `minutes` after midnight of `day` (local time; the zone is looked up
    once: `make_aware` per row spent a tenth of the generation in the zone lookup)."""
    return datetime.combine(day, time(), tzinfo=_zone()) + timedelta(minutes=minutes)


@cache
def _zone() -> tzinfo:
    return timezone.get_default_timezone()


def _credit_code(rng: random.Random, prefix: str, region: str, codes: set[str]) -> str:
    from yiyang.demo.orgs import make_credit_code

    while True:
        code = make_credit_code(rng, prefix, region)
        if code not in codes:
            codes.add(code)
            return code


def _user_row(username: str, full_name: str) -> dict[str, Any]:
    return {"username": username, "password": "!gen-unusable", "full_name": full_name,
            "first_name": "", "last_name": "", "email": "", "is_staff": False,
            "is_superuser": False, "is_active": True, "is_demo": False,
            "date_joined": timezone.now(), "last_login": None}


# --- per county: the partner medical institution, a township and its villages ---------------


@dataclass(frozen=True)
class _County:
    code: str
    medical_id: int
    township_id: int
    villages: tuple[tuple[int, str], ...]  # (id, region code)


def _partners(counties: list[Region], codes: set[str], rng: random.Random) -> dict[str, _County]:
    townships: dict[str, Region] = {}
    for region in (Region.objects.filter(parent_code__in=[c.code for c in counties],
                                         valid_to__isnull=True).order_by("code")):
        townships.setdefault(region.parent_code, region)
    out: dict[str, _County] = {}
    for county in counties:
        medical = MedicalInstitution.objects.create(
            kind=OrgKind.MEDICAL, name=f"{county.name}人民医院",
            short_name=f"{county.name}人民医院"[:40],
            credit_code=_credit_code(rng, "12", county.code, codes), region=county,
            region_code=county.code, type=MedicalInstitution.Type.GENERAL,
            grade=MedicalInstitution.Grade.II)
        town_region = townships.get(county.code, county)
        township = CommunityOrg.objects.create(
            kind=OrgKind.COMMUNITY, name=f"{town_region.name}人民政府"[:100],
            short_name=town_region.name[:40],
            credit_code=_credit_code(rng, "11", county.code, codes),
            region=town_region, region_code=town_region.code, level=CommunityOrg.Level.TOWNSHIP)
        villages = []
        for v in range(VILLAGES_PER_TOWNSHIP):
            name = f"{town_region.name}第{v + 1}村村民委员会"
            village = CommunityOrg.objects.create(
                kind=OrgKind.COMMUNITY, name=name[:100], short_name=f"第{v + 1}村",
                credit_code=_credit_code(rng, "54", county.code, codes), region=town_region,
                region_code=town_region.code, level=CommunityOrg.Level.VILLAGE, parent=township)
            villages.append((village.pk, village.region_code))
        out[county.code] = _County(county.code, medical.pk, township.pk, tuple(villages))
    return out


def _community(w: _Writer, county: _County, rng: random.Random, today: date,
               taken: set[str]) -> None:
    """The ledger of elderly people at home in the county's villages, with family doctors."""
    from yiyang.community.models import FamilyDoctorContract, LedgerEntry

    persons, entries, contracts = [], [], []
    for village_id, region_code in county.villages:
        for _ in range(LEDGER_PER_VILLAGE):
            years = max(65, people.age(rng))
            sex = "F" if rng.random() < 0.55 else "M"
            born = people.birth_date(rng, years, today)
            name = people.person_name(rng, sex)
            pinyin, initials = pinyin_keys(name)
            persons.append({
                "org_id": village_id, "region_code": region_code, "name": name, "sex": sex,
                "birth_date": born, "document_type": Person.Document.ID_CARD,
                "id_number": people.id_number(rng, county.code, born, sex, taken),
                "phone": "", "ethnicity": "汉族", "address": "", "address_region_id": None,
                "pinyin": pinyin, "initials": initials, "photo": ""})
    person_ids = w.put(Person, persons, with_ids=True)
    from yiyang.community import rules as community_rules

    choices = [v.value for v in community_rules.Living]
    for person_id, person in zip(person_ids, persons, strict=True):
        listed = today - timedelta(days=rng.randrange(30, 900))
        entries.append({
            "org_id": person["org_id"], "township_id": county.township_id,
            "region_code": person["region_code"], "person_id": person_id,
            "living": rng.choice(choices), "disabled": rng.random() < 0.15,
            "dependent": rng.random() < 0.2, "seriously_ill": rng.random() < 0.1,
            "listed_on": listed, "changed_on": listed, "status": "active", "needs": []})
    entry_ids = w.put(LedgerEntry, entries, with_ids=True)
    for entry_id, entry in zip(entry_ids, entries, strict=True):
        draw = rng.random()
        if draw >= SHARES["family_doctor"] + 0.08:
            continue
        start = today - timedelta(days=rng.randrange(20, 700))
        end = start + timedelta(days=365)
        if draw >= SHARES["family_doctor"]:  # lapsed: ended before today, not renewed
            start = today - timedelta(days=rng.randrange(400, 800))
            end = start + timedelta(days=365)
        elif end < today:  # renewed for another year
            start, end = end, end + timedelta(days=365)
        contracts.append({
            "entry_id": entry_id, "region_code": entry["region_code"],
            "institution_id": county.medical_id, "team": "家庭医生团队1",
            "doctor": people.young_name(rng, rng.choice("MF")),
            "package": rng.choice(["basic", "elderly", "chronic", "home_care"]),
            "start_on": start, "end_on": end, "terminated_on": None, "recorded_by": "gen"})
    w.put(FamilyDoctorContract, contracts)


# --- per home -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Resident:
    stay_id: int
    person_id: int
    admitted_on: date
    born: date
    name: str


def _residents_of(home_ids: list[int]) -> dict[int, list[_Resident]]:
    out: dict[int, list[_Resident]] = defaultdict(list)
    rows = (Stay.objects.filter(home_id__in=home_ids, status__in=OPEN_STATUSES)
            .order_by("home_id", "id")
            .values_list("home_id", "id", "person_id", "admitted_on", "person__birth_date",
                         "person__name"))
    for home_id, stay_id, person_id, admitted, born, name in rows:
        out[home_id].append(_Resident(stay_id, person_id, admitted, born, name))
    return out


def _years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _health(w: _Writer, home: NursingHome, residents: list[_Resident], rng: random.Random,
            today: date) -> None:
    """Vaccinations and underlying conditions (residents app)."""
    from yiyang.residents.models import Condition, Vaccination

    vaccinations, conditions = [], []
    for r in residents:
        years = _years(r.born, today)
        found = people.conditions(rng, years)
        for code, other, status in found:
            conditions.append({
                "person_id": r.person_id, "org_id": home.pk, "region_code": home.region_code,
                "code": code, "other_name": other, "status": status,
                "judged_on": r.admitted_on, "judged_by": "gen", "is_active": True})
        unstable = any(s == "unstable" for _, _, s in found)
        cancer = any(c == "CANCER_RCT" for c, _, _ in found)
        for kind, product, dose, day, reason in people.vaccinations(
                rng, years, unstable=unstable, cancer=cancer):
            vaccinations.append({
                "person_id": r.person_id, "org_id": home.pk, "region_code": home.region_code,
                "kind": kind, "product": product, "dose_number": dose, "given_on": day,
                "site": "", "reason": reason})
    w.put(Condition, conditions)
    w.put(Vaccination, vaccinations)


def _assessments(w: _Writer, home: NursingHome, residents: list[_Resident],
                 rng: random.Random, today: date) -> None:
    """The admission bundle (with its ability assessment) and the latest routine
    re-assessment of ability every 180 days (assessments app)."""
    from yiyang.assessments.models import AdmissionAssessment, Assessment

    bundles, bundle_of = [], []
    for r in residents:
        draw = rng.random()
        if draw < SHARES["admission_missing"]:
            continue
        started = r.admitted_on + timedelta(days=rng.randrange(0, 4))
        complete = draw >= SHARES["admission_missing"] + SHARES["admission_open"]
        if started > today:
            started = today
        done = min(today, started + timedelta(days=rng.randrange(0, 6))) if complete else None
        level = rng.choices((0, 1, 2, 3, 4), weights=(30, 28, 20, 13, 9))[0]
        bundles.append({
            "person_id": r.person_id, "stay_id": r.stay_id, "home_id": home.pk,
            "region_code": home.region_code, "status": "complete" if complete else "open",
            "started_on": started, "health_status": "", "service_needs": [], "needs_note": "",
            "ratings": {}, "overall_risk": "", "ability_level": level if complete else None,
            "completed_on": done, "started_by": "gen"})
        bundle_of.append((r, done, level))
    bundle_ids = w.put(AdmissionAssessment, bundles, with_ids=True)
    rows = []

    def ability(r: _Resident, on: date, reason: str, level: int,
                bundle_id: int | None) -> dict[str, Any]:
        return {
            "person_id": r.person_id, "stay_id": r.stay_id, "home_id": home.pk,
            "region_code": home.region_code, "instrument": "gbt42195",
            "instrument_version": "GB/T 42195-2022", "reason": reason, "reason_note": "",
            "status": "final", "assessed_on": on, "answers": {}, "context": {}, "outcome": {},
            "total": None, "band": str(level), "band_label": "", "level": level,
            "bundle_id": bundle_id, "corrects_id": None, "trigger_id": None,
            "created_by": "gen", "assessor_id": None, "assessor_name": "gen",
            "second_assessor_id": None, "second_assessor_name": "", "informant_name": "",
            "finalised_at": _at(on, 10 * 60)}

    for bundle_id, (r, done, level) in zip(bundle_ids, bundle_of, strict=True):
        if done is None:
            continue
        rows.append(ability(r, done, "first", level, bundle_id))
        days = (today - done).days
        if days <= 180:
            continue
        # The latest routine re-assessment: on time (within 180 days of today) or overdue.
        if rng.random() < SHARES["reassessment_overdue"]:
            last = today - timedelta(days=rng.randrange(181, 260))
        else:
            last = today - timedelta(days=rng.randrange(1, 180))
        if last > done:
            rows.append(ability(r, last, "routine", level, None))
    w.put(Assessment, rows)


def _pressure_injuries(w: _Writer, home: NursingHome, residents: list[_Resident],
                       rng: random.Random, today: date) -> None:
    """Lesions found in the last 6 months, with the stage history of each (care app)."""
    from yiyang.care.models import PressureInjury, PressureInjuryObservation

    lesions, histories = [], []
    for r in residents:
        if rng.random() >= SHARES["pressure_injury"]:
            continue
        found = max(r.admitted_on, today - timedelta(days=rng.randrange(1, 183)))
        on_admission = found == r.admitted_on or rng.random() < 0.25
        first = rng.choices(("1", "2", "3", "dtpi"), weights=(55, 30, 10, 5))[0]
        history = [(found, first)]
        day = found
        if first == "1" and rng.random() < 0.3:  # worsened to stage 2
            day += timedelta(days=rng.randrange(3, 20))
            history.append((day, "2"))
        healed = None
        if rng.random() < 0.5:
            day += timedelta(days=rng.randrange(7, 60))
            history.append((day, "healed"))
            healed = day
        history = [(d, s) for d, s in history if d <= today]
        if healed is not None and healed > today:
            healed = None
        lesions.append({
            "person_id": r.person_id, "stay_id": r.stay_id, "home_id": home.pk,
            "region_code": home.region_code, "site": rng.choice(["sacrum", "heel", "ischium"]),
            "site_detail": "", "initial_stage": first, "stage": history[-1][1],
            "present_on_admission": on_admission, "found_at": _at(found, 9 * 60),
            "device_related": False, "length_cm": None, "width_cm": None, "depth_cm": None,
            "note": "", "healed_on": healed, "recorded_by": "gen"})
        histories.append(history)
    ids = w.put(PressureInjury, lesions, with_ids=True)
    w.put(PressureInjuryObservation, [
        {"lesion_id": lesion_id, "home_id": home.pk, "region_code": home.region_code,
         "observed_at": _at(day, 9 * 60 + n), "stage": stage, "length_cm": None,
         "width_cm": None, "depth_cm": None, "wound_bed": "", "treatment": "",
         "photo": "", "recorded_by": "gen"}
        for lesion_id, history in zip(ids, histories, strict=True)
        for n, (day, stage) in enumerate(history)])


def _months_back(today: date, n: int) -> list[date]:
    """The first day of this month and of the n-1 months before it, oldest first."""
    out, day = [], today.replace(day=1)
    for _ in range(n):
        out.append(day)
        day = (day - timedelta(days=1)).replace(day=1)
    return out[::-1]


def _home_duties(w: _Writer, home: NursingHome, rng: random.Random, today: date) -> None:
    """Education sessions, mental-health lectures, obligation records and hazards."""
    from yiyang.care.models import EducationSession
    from yiyang.compliance.models import Hazard, ObligationRecord

    sessions, records = [], []
    months = _months_back(today, 12)
    for first in months:
        last = min(today, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1))
        span = (last - first).days + 1
        if rng.random() >= SHARES["month_missed"]:
            sessions.append(("health", "老年人常见病预防", first + timedelta(rng.randrange(span))))
        if rng.random() >= SHARES["month_missed"]:
            records.append(("fire_check", first + timedelta(rng.randrange(span))))
        if first.month in (3, 6, 9, 12) and rng.random() < 0.88:
            records.append(("emergency_drill", first + timedelta(rng.randrange(span))))
        if first.month in (6, 12) and rng.random() < 0.9:
            records.append(("fire_drill", first + timedelta(rng.randrange(span))))
        if first.month == 10 and rng.random() < 0.85:
            records.append(("infection_drill", first + timedelta(rng.randrange(span))))
        if first.month in (4, 10) and rng.random() < 0.8:
            sessions.append(("mental", "老年人心理健康", first + timedelta(rng.randrange(span))))
    w.put(EducationSession, [
        {"home_id": home.pk, "region_code": home.region_code, "kind": kind, "topic": topic,
         "held_on": day, "speaker": "gen", "audience": ["residents"],
         "other_count": rng.randrange(5, 40), "materials": "", "recorded_by": "gen"}
        for kind, topic, day in sessions])
    w.put(ObligationRecord, [
        {"home_id": home.pk, "region_code": home.region_code, "obligation": code,
         "done_on": day, "participants": rng.randrange(5, 60), "participant_note": "",
         "summary": "按计划开展", "evidence": "", "recorded_by": "gen"}
        for code, day in records])
    hazards = []
    for _ in range(rng.randrange(0, 4)):
        found = today - timedelta(days=rng.randrange(1, 200))
        deadline = found + timedelta(days=30)
        state = rng.choices(("open", "rectified", "verified"), weights=(25, 15, 60))[0]
        rectified = min(today, found + timedelta(days=rng.randrange(3, 40))) \
            if state != "open" else None
        hazards.append({
            "home_id": home.pk, "region_code": home.region_code, "found_on": found,
            "place": "厨房", "description": "灭火器过期", "level": "general",
            "deadline": deadline, "state": state, "rectified_on": rectified,
            "rectification": "已更换" if rectified else "", "evidence": "",
            "verified_on": rectified if state == "verified" else None,
            "verified_by": "gen" if state == "verified" else "", "history": [],
            "recorded_by": "gen"})
    w.put(Hazard, hazards)


def _filing(w: _Writer, home: NursingHome, rng: random.Random, today: date,
            health_regulator: int | None) -> bool:
    """An internal clinic filed with the county health commission; True when accepted."""
    from yiyang.compliance.models import ClinicFiling

    if rng.random() >= SHARES["clinic_filing"]:
        return False
    state = rng.choices(("accepted", "received", "returned"), weights=(80, 15, 5))[0]
    filed = today - timedelta(days=rng.randrange(10, 900))
    reviewed = state != "received" and health_regulator is not None
    w.put(ClinicFiling, [{
        "home_id": home.pk, "region_code": home.region_code,
        "kind": rng.choice(["clinic_room", "nursing_station", "clinic"]),
        "name": f"{home.short_name}医务室"[:100], "record_number": "", "head": "gen",
        "doctors": rng.randrange(1, 4), "nurses": rng.randrange(1, 6),
        "other_staff": rng.randrange(0, 3), "services": "常见病诊疗、慢病管理", "filed_on": filed,
        "state": state, "filed_by": "gen",
        "reviewer_id": health_regulator if reviewed else None,
        "reviewed_on": filed + timedelta(days=5) if reviewed else None,
        "reviewed_by": "gen" if reviewed else "",
        "review_note": "材料不全" if state == "returned" else ""}])
    return state == "accepted"


def _agreement(w: _Writer, home: NursingHome, county: _County, residents: list[_Resident],
               rng: random.Random, today: date) -> None:
    """A cooperation agreement with the county's medical institution, its patrol visits over
    the last year (some missed) and this year's health check (agreements app)."""
    from yiyang.agreements.models import Agreement, PatrolVisit, ServiceRecord

    draw = rng.random()
    if draw >= SHARES["agreement_in_force"] + SHARES["agreement_expired"]:
        return
    in_force = draw < SHARES["agreement_in_force"]
    interval = rng.choice((14, 30, 30))
    if in_force:
        start = today - timedelta(days=rng.randrange(30, 700))
        end = start + timedelta(days=3 * 365)
        state = "active"
    else:
        end = today - timedelta(days=rng.randrange(10, 300))
        start = end - timedelta(days=365)
        state = "expired"
    [agreement_id] = w.put(Agreement, [{
        "home_id": home.pk, "medical_id": county.medical_id, "region_code": home.region_code,
        "items": [1, 2, 3, 4, 5], "modes": ["patrol", "referral"], "start_on": start,
        "end_on": end, "home_duties": "", "medical_duties": "", "fee": 0, "fee_factors": [],
        "patrol_interval_days": interval, "signed_document": "", "state": state,
        "published_on": start, "terminated_on": None, "termination_reason": "",
        "created_by": "gen"}], with_ids=True)
    visits = []
    day = max(start, today - timedelta(days=365))
    last = min(today, end)
    while day <= last:
        if rng.random() >= SHARES["patrol_missed"]:
            visits.append({
                "agreement_id": agreement_id, "home_id": home.pk,
                "region_code": home.region_code, "visited_on": day, "doctors": "gen",
                "nurses": "", "findings": "", "orders": "", "follow_up": "",
                "follow_up_on": None, "recorded_by": "gen"})
        day += timedelta(days=interval)
    w.put(PatrolVisit, visits)
    over_65 = sum(1 for r in residents if _years(r.born, today) >= 65)
    if in_force and over_65 and rng.random() < 0.8:
        w.put(ServiceRecord, [{
            "agreement_id": agreement_id, "home_id": home.pk, "region_code": home.region_code,
            "kind": "health_check", "delivered_on": today - timedelta(days=rng.randrange(1, 300)),
            "topic": "65岁及以上老人年度健康体检", "people": int(over_65 * rng.uniform(0.6, 1.0)),
            "recorded_by": "gen"}])


@dataclass(frozen=True)
class _ChainOf:
    """Civil-affairs departments a home's outbreak report goes through (county, city, prov)."""

    county: int | None
    city: int | None
    province: int | None


def _outbreaks(w: _Writer, home: NursingHome, chain: _ChainOf, rng: random.Random,
               today: date) -> None:
    """A closed outbreak in the last year, the home's report and the forwards up the chain:
    each hop's report is due 2 hours after it arrived; some are late (infection app)."""
    from yiyang.infection.models import Outbreak, OutbreakReport

    if rng.random() >= SHARES["outbreak"] or chain.county is None:
        return
    opened = _at(today - timedelta(days=rng.randrange(20, 360)), rng.randrange(7 * 60, 20 * 60))
    [outbreak_id] = w.put(Outbreak, [{
        "home_id": home.pk, "region_code": home.region_code, "state": "closed",
        "opened_at": opened, "closed_at": opened + timedelta(days=rng.randrange(10, 30)),
        "isolation_mode": "in_home", "summary": "发热聚集"}], with_ids=True)

    def delay() -> timedelta:
        late = rng.random() < SHARES["outbreak_late"]
        return timedelta(minutes=rng.randrange(125, 300) if late else rng.randrange(10, 115))

    county, city = home.region_code[:6], home.region_code[:4] + "00"
    # (sender, the sender's region code, receiving department, its level)
    hops = [(home.pk, home.region_code, chain.county, "county"),
            (chain.county, county, chain.city, "city"),
            (chain.city, city, chain.province, "province")]
    at = opened + delay()  # the home files within (or after) 2 hours of finding it
    parent = None
    for n, (sender, code, to, level) in enumerate(hops):
        if sender is None or to is None:
            break
        forwarded = at + delay()
        last = n == len(hops) - 1 or hops[n + 1][2] is None
        row = {
            "outbreak_id": outbreak_id, "from_org_id": sender, "to_org_id": to,
            "to_external": "", "level": level, "parent_id": parent,
            "region_code": code, "content": "发现聚集性发热病例",
            "sent_by": "gen", "received_at": at, "due_at": at + timedelta(hours=2),
            "acknowledged_at": at + timedelta(minutes=5), "acknowledged_by": "gen",
            "status": "forwarded", "forwarded_at": forwarded,
            "overdue_since": at + timedelta(hours=2) if forwarded > at + timedelta(hours=2)
            else None, "escalated_at": None, "escalated_to_id": None}
        [parent] = w.put(OutbreakReport, [row], with_ids=True)
        at = forwarded
        if last:
            break


def _staff(w: _Writer, home: NursingHome, residents: int, rng: random.Random,
           today: date) -> None:
    """Staff logins with memberships, posts and vaccine doses (infection readiness)."""
    from yiyang.infection.models import StaffDose, StaffPost

    count = max(3, round(residents * SHARES["staff_per_resident"]))
    roles = [(Role.HOME_MANAGER, "院长")] + [
        rng.choice(((Role.HOME_CAREGIVER, "护理员"), (Role.HOME_CAREGIVER, "护理员"),
                    (Role.HOME_NURSE, "护士"), (Role.HOME_DOCTOR, "医生")))
        for _ in range(count - 1)]
    users = [_user_row(f"{GEN_USER_PREFIX}{home.credit_code}-{i + 1:03d}",
                       people.young_name(rng, rng.choice("MF"))) for i in range(count)]
    user_ids = w.put(User, users, with_ids=True)
    memberships = [{"user_id": uid, "org_id": home.pk, "region_code": home.region_code,
                    "role": role, "title": title, "is_active": True}
                   for uid, (role, title) in zip(user_ids, roles, strict=True)]
    membership_ids = w.put(Membership, memberships, with_ids=True)
    w.put(StaffPost, [{"home_id": home.pk, "region_code": home.region_code,
                       "membership_id": mid, "post": title,
                       "direct_contact": role != Role.HOME_MANAGER or rng.random() < 0.3}
                      for mid, (role, title) in zip(membership_ids, roles, strict=True)])
    doses = []
    for mid in membership_ids:
        draw = rng.random()
        day = date(2021, 3, 1) + timedelta(days=rng.randrange(300))
        base = {"home_id": home.pk, "region_code": home.region_code, "membership_id": mid,
                "product": "", "deferred_until": None, "reason": "", "recorded_by": "gen"}
        if draw < SHARES["staff_vaccinated"]:
            # The inactivated course is two primary doses (infection's COURSE_DOSES); about one
            # in ten stopped after the first, so the staff indicator has partial courses too.
            doses.append({**base, "kind": "primary", "given_on": day})
            if rng.random() < 0.9:
                doses.append({**base, "kind": "primary", "given_on": day + timedelta(days=28)})
                if rng.random() < 0.6:
                    doses.append({**base, "kind": "booster",
                                  "given_on": day + timedelta(days=200)})
        elif draw < SHARES["staff_vaccinated"] + 0.04:
            doses.append({**base, "kind": "contraindication", "given_on": day,
                          "reason": "既往疫苗接种后严重过敏反应"})
        elif draw < SHARES["staff_vaccinated"] + 0.08:
            doses.append({**base, "kind": "deferral", "given_on": today - timedelta(days=30),
                          "deferred_until": today + timedelta(days=60), "reason": "妊娠期"})
    w.put(StaffDose, doses)


def _medical_staff(w: _Writer, county: _County, rng: random.Random) -> None:
    """The partner institution's staff (an administrator, an agreement manager and doctors),
    so its training coverage (§五) has people to count."""
    roles = [(Role.MEDICAL_ADMIN, "院长"), (Role.AGREEMENT_MANAGER, "医务科科长")] + [
        (Role.MEDICAL_DOCTOR, "医生") for _ in range(rng.randint(3, 8))]
    users = [_user_row(f"{GEN_USER_PREFIX}med{county.medical_id}-{i + 1:03d}",
                       people.young_name(rng, rng.choice("MF"))) for i in range(len(roles))]
    user_ids = w.put(User, users, with_ids=True)
    w.put(Membership, [{"user_id": uid, "org_id": county.medical_id, "region_code": county.code,
                        "role": role, "title": title, "is_active": True}
                       for uid, (role, title) in zip(user_ids, roles, strict=True)])


def regulator_logins(province: str) -> int:
    """One login per regulator of the province (`gen-<credit code>`), for the bench's
    dashboard pages; unusable password, not a demo persona. Returns how many were made."""
    prefix = province[:2]
    regulators = list(Regulator.objects.filter(region_code__startswith=prefix)
                      .values_list("pk", "credit_code", "name", "region_code"))
    existing = set(User.objects.filter(username__startswith=GEN_USER_PREFIX)
                   .values_list("username", flat=True))
    made = 0
    for pk, credit, name, code in regulators:
        username = f"{GEN_USER_PREFIX}{credit}"
        if username in existing:
            continue
        user = User.objects.create(username=username, full_name=f"{name}监管人员"[:50],
                                   is_demo=False)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Membership.objects.create(user=user, org_id=pk, region_code=code,
                                  role=Role.REGULATOR_OFFICER, title="监管人员")
        made += 1
    return made


def generate_extras(homes: list[NursingHome], counties: list[Region], *, seed: str,
                    log: Callable[[str], None] = print,
                    taken: set[str] | None = None) -> dict[str, int]:
    """Add every indicator's source rows for `homes` (made by `scale.generate`). `taken`: the
    ID numbers the residents were given, so the people at home never repeat one."""
    rng = random.Random(f"{seed}-extras")
    today = timezone.localdate()
    codes: set[str] = set(NursingHome.objects.values_list("credit_code", flat=True))
    from yiyang.orgs.models import Organisation

    codes |= set(Organisation.objects.values_list("credit_code", flat=True))
    civil = {(code, level): pk for pk, code, level in Regulator.objects.filter(
        department=Regulator.Department.CIVIL_AFFAIRS, is_active=True).order_by("-pk")
        .values_list("pk", "region_code", "level")}
    health = {code: pk for pk, code in Regulator.objects.filter(
        department=Regulator.Department.HEALTH, level=Regulator.Level.COUNTY)
        .order_by("-pk").values_list("pk", "region_code")}
    taken = taken if taken is not None else set()
    with_homes = {h.region_code[:6] for h in homes}
    with transaction.atomic():
        partners = _partners([c for c in counties if c.code in with_homes], codes, rng)
        w = _Writer()
        for county in partners.values():
            _community(w, county, rng, today, taken)
            _medical_staff(w, county, rng)
    counts: dict[str, int] = defaultdict(int)
    for label, n in w.counts.items():
        counts[label] += n
    integrated: list[int] = []
    for start in range(0, len(homes), HOMES_PER_TRANSACTION):
        chunk = homes[start:start + HOMES_PER_TRANSACTION]
        residents = _residents_of([h.pk for h in chunk])
        with transaction.atomic():
            w = _Writer()
            for home in chunk:
                mine = residents.get(home.pk, [])
                county = home.region_code[:6]
                _health(w, home, mine, rng, today)
                _assessments(w, home, mine, rng, today)
                _pressure_injuries(w, home, mine, rng, today)
                _home_duties(w, home, rng, today)
                if _filing(w, home, rng, today, health.get(county)):
                    integrated.append(home.pk)
                _agreement(w, home, partners[county], mine, rng, today)
                _outbreaks(w, home, _ChainOf(
                    civil.get((county, "county")), civil.get((county[:4] + "00", "city")),
                    civil.get((county[:2] + "0000", "province"))), rng, today)
                _staff(w, home, len(mine), rng, today)
        for label, n in w.counts.items():
            counts[label] += n
        done = start + len(chunk)
        if done % 200 < HOMES_PER_TRANSACTION or done == len(homes):
            log(f"已生成指标来源数据（{done}/{len(homes)} 家机构）")
    NursingHome.objects.filter(pk__in=integrated).update(
        has_medical_unit=True, medical_unit_type=NursingHome.MedicalUnit.CLINIC_ROOM,
        is_integrated=True)
    counts["integrated_homes"] = len(integrated)
    # Staff training (§五) and TCM techniques (§十一): after the staff and the medical units.
    from yiyang.demo.training import generate_scale

    labels = {"trainings": "compliance.TrainingCourse",
              "attendances": "compliance.TrainingAttendance",
              "tcm_techniques": "compliance.TcmTechnique"}
    trained = [h.pk for h in homes] + [c.medical_id for c in partners.values()]
    for key, n in generate_scale(trained, seed=f"{seed}-training",
                                 today=today).items():
        counts[labels.get(key, key)] += n
    log("已生成人员培训与中医适宜技术数据")
    return dict(counts)
