"""Admitting many residents at once (an Excel import): check every row against the database,
then write them all in one transaction or none at all.

The single-resident path is `services.admit_resident`; this module applies the same rules
(GB 11643 ID numbers, one open stay per person and per bed, the classification of REFERENCE
§1.4, an audit row per chunk of residents) with set-based queries and multi-row INSERTs
(`core.bulk_insert`), so 200,000 rows are not 200,000 round trips. Nothing here knows about
spreadsheets: callers pass `Admission` values and get back `Problem`s naming the field, which
the caller maps to its own columns.

Writing is a two-stage pipeline inside the one transaction. The ids of every row of a chunk
are reserved first (`bulk_insert.Ids`), so a helper thread can turn the next chunk into
statement parameters (encryption, blind indexes, pinyin, audit JSON: CPU work that needs no
database) while this thread executes the current chunk's INSERTs, during which the database
driver releases the GIL. Only this thread touches the database; an error in either stage rolls
the whole transaction back. (Row building and parameter binding still share the GIL, so the
overlap is partial: bench/README.md has the figures.)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.bulk_insert import Ids, Prepared, Table
from yiyang.core.models import AuditEvent
from yiyang.core.permissions import Perm, require
from yiyang.core.scope import Action, Actor, get_visible_or_404
from yiyang.orgs.models import Bed, NursingHome
from yiyang.residents import rules, services
from yiyang.residents.models import (
    OPEN_STATUSES,
    Contact,
    HealthProfile,
    KeyPopulationRecord,
    Person,
    Stay,
    StayEventRecord,
)
from yiyang.residents.search import pinyin_keys

# The audit row written for each chunk: one per CHUNK residents, naming every row created.
AUDIT_ACTION = "residents.import.admit"
CHUNK = 2000  # residents per step of the pipeline: bounded memory, and a progress tick each
AHEAD = 2  # chunks prepared ahead of the one being written
# SQLite page cache while importing, in KiB (PRAGMA cache_size, this connection only): the
# blind and pinyin indexes take rows in random order, and with the default 2 MB cache their
# pages are written out and read back again and again before the commit.
SQLITE_CACHE_KIB = 256 * 1024

BedKey = tuple[str, str, str]  # (building name, room number, bed label)


@dataclass
class Admission:
    """One resident to admit, already cleaned (ID parsed, phones checked, dates parsed)."""

    row: int
    name: str
    sex: str
    birth_date: date
    bed: BedKey
    admitted_on: date
    document_type: str = Person.Document.ID_CARD
    id_number: str = ""
    phone: str = ""
    ethnicity: str = "汉族"
    address: str = ""
    disability_level: str = HealthProfile.Disability.NONE
    disability_certificate_no: str = ""
    allergies: str = ""
    diet: str = ""
    designated_hospital: str = ""
    contact_name: str = ""
    contact_relation: str = ""
    contact_phone: str = ""
    bed_id: int | None = field(default=None, repr=False)
    # (id_number, its blind index): computed by the first check, reused by the second.
    _id_index: tuple[str, str | None] | None = field(
        default=None, init=False, repr=False, compare=False
    )


@dataclass(frozen=True)
class Problem:
    row: int
    field: str
    message: str


def _chunks(items: Sequence[Admission]) -> Iterable[list[Admission]]:
    it, size = iter(items), CHUNK
    while batch := list(islice(it, size)):
        yield batch


def _index_of(adm: Admission) -> str | None:
    cached = adm._id_index
    if cached is None or cached[0] != adm.id_number:
        index = Person._meta.get_field("id_number_index").index_of(adm.id_number)
        adm._id_index = cached = (adm.id_number, index)
    return cached[1]


def check(home: NursingHome, admissions: Sequence[Admission]) -> list[Problem]:
    """Problems that need the database: unknown, inactive or taken beds, and ID numbers that
    already have a record. Resolves `bed_id` on each admission as a side effect."""
    problems: list[Problem] = []
    # Plain tuples, not model instances: a large home has tens of thousands of beds.
    beds = {
        (building, room, label): (pk, active)
        for pk, building, room, label, active in Bed.objects.filter(home=home).values_list(
            "pk", "room__building__name", "room__number", "label", "is_active"
        )
    }
    taken = set(
        Stay.objects.filter(home=home, status__in=OPEN_STATUSES, bed__isnull=False).values_list(
            "bed_id", flat=True
        )
    )
    for adm in admissions:
        found = beds.get(adm.bed)
        if found is not None and found[1] and found[0] not in taken:
            adm.bed_id = found[0]
            continue
        where = "{} {} {}床".format(*adm.bed)
        if found is None:
            problems.append(Problem(adm.row, "bed", f"床位不存在：本机构没有 {where}"))
        elif not found[1]:
            problems.append(Problem(adm.row, "bed", f"床位 {where} 已停用"))
        else:
            problems.append(Problem(adm.row, "bed", f"床位 {where} 已有人入住"))
    by_index = {_index_of(a): a for a in admissions if a.id_number}
    for index in _registered(list(by_index)):
        adm = by_index[index]
        problems.append(
            Problem(
                adm.row, "id_number", "该证件号码已在系统中建档，请在老人页面办理入住，不能重复导入"
            )
        )
    return sorted(problems, key=lambda p: p.row)


def _registered(indexes: list[str]) -> list[str]:
    """Those of these ID-number blind indexes that a person already has (any organisation).
    Plain SQL: an ORM `__in` lookup spends ~3 µs preparing each of 200,000 values."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    column = quote(Person._meta.get_field("id_number_index").column)
    found: list[str] = []
    with connection.cursor() as cursor:
        for start in range(0, len(indexes), 900):  # stay under SQLite's bound-parameter limit
            batch = indexes[start : start + 900]
            cursor.execute(
                f"SELECT {column} FROM {quote(Person._meta.db_table)} "  # noqa: S608
                f"WHERE {column} IN ({', '.join(['%s'] * len(batch))})",
                batch,
            )
            found.extend(row[0] for row in cursor.fetchall())
    return found


class _Classifier:
    """What `services.classify` stores for a new person with no recorded disease and no
    vaccination yet (REFERENCE §1.4), as column values. Those depend on the age and the
    disability flag only, so each combination is worked out once per import."""

    def __init__(self, on: date, actor: Actor, rule_set: rules.RuleSet) -> None:
        self.on, self.actor, self.rule_set = on, actor, rule_set
        self._known: dict[tuple[int, bool], dict[str, Any] | None] = {}

    def __call__(self, adm: Admission) -> dict[str, Any] | None:
        age = rules.age_on(adm.birth_date, self.on)
        disabled = HealthProfile.is_disabled(adm.disability_level, adm.disability_certificate_no)
        key = (age, disabled)
        if key not in self._known:
            inputs = {
                "age": age,
                "band": rules.age_band(age) or "",
                "has_disability": disabled,
                "disease": rules.disease_status([]),
                "vaccination": rules.vaccination_status(
                    doses_received=0, doses_in_primary_series=1
                ),
            }
            values = services.classification_values(
                inputs, on=self.on, classified_by=self.actor.username, rule_set=self.rule_set
            )
            self._known[key] = None if values is None else {**values, "is_current": True}
        return self._known[key]


@dataclass
class _Chunk:
    """One chunk's admissions with their classification and reserved ids."""

    number: int  # 1, 2, ... within the import
    batch: list[Admission]
    classes: list[dict[str, Any] | None]
    ids: dict[type, list[int]]


class _Writer:
    """One import's compiled INSERTs (one per table), its id reservations and row building."""

    PERSON = (
        "id",
        "org_id",
        "region_code",
        "name",
        "sex",
        "birth_date",
        "document_type",
        "id_number",
        "phone",
        "ethnicity",
        "address",
        "pinyin",
        "initials",
    )
    STAY = ("id", "home_id", "region_code", "person_id", "bed_id", "admitted_on", "status")
    PROFILE = (
        "id",
        "org_id",
        "region_code",
        "person_id",
        "allergies",
        "diet",
        "disability_level",
        "disability_certificate_no",
        "designated_hospital",
    )
    EVENT = (
        "id",
        "home_id",
        "region_code",
        "stay_id",
        "event",
        "occurred_on",
        "to_bed_id",
        "recorded_by",
        "note",
    )
    CONTACT = ("id", "org_id", "region_code", "person_id", "kind", "name", "relation", "phone")
    RECORD = (
        "id",
        "org_id",
        "region_code",
        "person_id",
        "classified_on",
        "age",
        "band",
        "has_disability",
        "disease",
        "vaccination",
        "category",
        "basis",
        "score",
        "rule_set",
        "classified_by",
        "is_current",
    )
    AUDIT = (
        "id",
        "user_id",
        "username",
        "membership_id",
        "org_id",
        "region_code",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "object_org_id",
        "changes",
        "ip",
    )

    def __init__(
        self,
        actor: Actor,
        home: NursingHome,
        connection: Any,
        source: dict[str, Any] | None = None,
    ) -> None:
        self.actor, self.home, self.source = actor, home, dict(source or {})
        self.chunks = 0
        specs = [
            (Person, self.PERSON),
            (Stay, self.STAY),
            (HealthProfile, self.PROFILE),
            (StayEventRecord, self.EVENT),
            (Contact, self.CONTACT),
            (KeyPopulationRecord, self.RECORD),
            (AuditEvent, self.AUDIT),
        ]
        self.tables = {m: Table(m, keys, connection=connection) for m, keys in specs}
        self.ids = {m: Ids(m, connection=connection) for m, _ in specs}

    def reserve(self, batch: list[Admission], classes: list[dict[str, Any] | None]) -> _Chunk:
        """Ids for every row of the chunk (database access: this thread only)."""
        n = len(batch)
        counts = {
            Person: n,
            Stay: n,
            HealthProfile: n,
            StayEventRecord: n,
            Contact: sum(bool(a.contact_name) for a in batch),
            KeyPopulationRecord: sum(c is not None for c in classes),
            AuditEvent: 1,  # one per chunk (see `_chunk_changes`)
        }
        self.chunks += 1
        return _Chunk(
            self.chunks, batch, classes, {m: self.ids[m].take(c) for m, c in counts.items()}
        )

    def _chunk_changes(self, chunk: _Chunk, record_ids: list[int]) -> dict[str, Any]:
        """The chunk's audit row: which import, and the ids of every person, stay and
        classification it created (the rows themselves hold the values: the person and stay
        their fields, the admission event who recorded it, the classification its inputs and
        basis). `person_id_min`/`_max` let `audit_events_of_person` find the row by range."""
        persons = chunk.ids[Person]
        categories: dict[str, int] = {}
        for c in chunk.classes:
            if c is not None:
                categories[c["category"]] = categories.get(c["category"], 0) + 1
        return {
            **self.source,
            "chunk": chunk.number,
            "count": len(chunk.batch),
            "person_id_min": persons[0],
            "person_id_max": persons[-1],
            "persons": persons,
            "stays": chunk.ids[Stay],
            "key_population_records": record_ids,
            "categories": categories,
        }

    def prepare(self, chunk: _Chunk) -> list[Prepared]:
        """Every row of every table for one chunk, as statement parameters (no database)."""
        actor, home, batch, ids = self.actor, self.home, chunk.batch, chunk.ids
        own = {"org_id": home.pk, "region_code": home.region_code}
        at_home = {"home_id": home.pk, "region_code": home.region_code}
        in_residence, admit = rules.StayStatus.IN_RESIDENCE.value, rules.StayEvent.ADMIT.value
        emergency, recorded_by = Contact.Kind.EMERGENCY.value, actor.username
        person_ids, stay_ids = ids[Person], ids[Stay]
        persons, stays = [], []
        for pid, sid, adm in zip(person_ids, stay_ids, batch, strict=True):
            pinyin, initials = pinyin_keys(adm.name)
            persons.append(
                {
                    "id": pid,
                    **own,
                    "name": adm.name,
                    "sex": adm.sex,
                    "birth_date": adm.birth_date,
                    "document_type": adm.document_type,
                    "id_number": adm.id_number,
                    "phone": adm.phone,
                    "ethnicity": adm.ethnicity,
                    "address": adm.address,
                    "pinyin": pinyin,
                    "initials": initials,
                }
            )
            stays.append(
                {
                    "id": sid,
                    **at_home,
                    "person_id": pid,
                    "bed_id": adm.bed_id,
                    "admitted_on": adm.admitted_on,
                    "status": in_residence,
                }
            )
        profiles = [
            {
                "id": rid,
                **own,
                "person_id": pid,
                "allergies": a.allergies,
                "diet": a.diet,
                "disability_level": a.disability_level,
                "disability_certificate_no": a.disability_certificate_no,
                "designated_hospital": a.designated_hospital,
            }
            for rid, pid, a in zip(ids[HealthProfile], person_ids, batch, strict=True)
        ]
        events = [
            {
                "id": eid,
                **at_home,
                "stay_id": sid,
                "event": admit,
                "occurred_on": a.admitted_on,
                "to_bed_id": a.bed_id,
                "recorded_by": recorded_by,
                "note": "批量导入",
            }
            for eid, sid, a in zip(ids[StayEventRecord], stay_ids, batch, strict=True)
        ]
        with_contact = [
            (pid, a) for pid, a in zip(person_ids, batch, strict=True) if a.contact_name
        ]
        contacts = [
            {
                "id": cid,
                **own,
                "person_id": pid,
                "kind": emergency,
                "name": a.contact_name,
                "relation": a.contact_relation,
                "phone": a.contact_phone,
            }
            for cid, (pid, a) in zip(ids[Contact], with_contact, strict=True)
        ]
        classified = [
            (pid, c) for pid, c in zip(person_ids, chunk.classes, strict=True) if c is not None
        ]
        records = [
            {"id": rid, **own, "person_id": pid, **c}
            for rid, (pid, c) in zip(ids[KeyPopulationRecord], classified, strict=True)
        ]

        trail = [
            {
                **audit.row_values(
                    actor,
                    AUDIT_ACTION,
                    model=Person,
                    object_id="",  # many objects: their ids are in `changes`
                    object_repr=(
                        f"{home.name} 批量导入第 {chunk.number} 批 {len(batch)} 位老人"
                        f"（老人编号 {person_ids[0]}–{person_ids[-1]}）"
                    ),
                    object_org_id=home.pk,
                    region_code=home.region_code,
                    changes=self._chunk_changes(chunk, [r["id"] for r in records]),
                ),
                "id": ids[AuditEvent][0],
            }
        ]
        t = self.tables
        return [
            t[Person].prepare(persons),
            t[Stay].prepare(stays),
            t[HealthProfile].prepare(profiles),
            t[StayEventRecord].prepare(events),
            t[Contact].prepare(contacts),
            t[KeyPopulationRecord].prepare(records),
            t[AuditEvent].prepare(trail),
        ]


def _write_chunk(prepared: list[Prepared]) -> None:
    """Execute one chunk's INSERTs, table by table (parents before the rows pointing at them)."""
    for rows in prepared:
        if rows.count:
            rows.table.write(rows)


@contextmanager
def _import_cache(connection: Any) -> Iterator[None]:
    """A larger SQLite page cache for this connection while the import runs, then the old one."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB:d}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before:d}")


def _write_all(
    writer: _Writer,
    classify: _Classifier,
    admissions: Sequence[Admission],
    progress: Callable[[int], None] | None,
) -> None:
    chunks = iter(_chunks(admissions))
    pending: deque[tuple[int, Future[list[Prepared]]]] = deque()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-admission")

    def submit() -> None:
        batch = next(chunks, None)
        if batch is not None:
            chunk = writer.reserve(batch, [classify(a) for a in batch])
            pending.append((len(batch), pool.submit(writer.prepare, chunk)))

    try:
        for _ in range(AHEAD):
            submit()
        done = 0
        while pending:
            count, future = pending.popleft()
            prepared = future.result()
            submit()
            _write_chunk(prepared)
            done += count
            if progress is not None:
                progress(done)
    finally:
        # On an error, stop preparing before the transaction rolls back (the helper thread
        # never touches the database, so this only saves the wasted work).
        pool.shutdown(wait=True, cancel_futures=True)


def admit_many(
    *,
    actor: Actor,
    home_id: int,
    admissions: Sequence[Admission],
    progress: Callable[[int], None] | None = None,
    source: dict[str, Any] | None = None,
) -> list[Problem]:
    """Admit every admission or none: returns the problems (and writes nothing) if any row
    fails the database checks, else writes all rows in one transaction and returns [].

    Audited with one row per chunk of `CHUNK` residents (`AUDIT_ACTION`), listing the ids it
    created; `source` (e.g. ``{"import_job": 12}``) is copied into each of them."""
    home = get_visible_or_404(NursingHome, actor, Action.CHANGE, pk=home_id)
    require(actor, Perm.ADMIT_RESIDENTS)
    today = timezone.localdate()
    rule_set = rules.load_rule_set()
    connection = connections[DEFAULT_DB_ALIAS]
    with _import_cache(connection), transaction.atomic(durable=True):
        # Lock the home's row so two imports into one home cannot both take the same beds;
        # the partial unique indexes would reject the loser anyway, losing its whole file.
        NursingHome.objects.select_for_update().filter(pk=home.pk).exists()
        problems = check(home, admissions)
        if problems:
            return problems
        _write_all(
            _Writer(actor, home, connection, source),
            _Classifier(today, actor, rule_set),
            admissions,
            progress,
        )
    return []
