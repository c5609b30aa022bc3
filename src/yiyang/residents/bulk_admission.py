"""Admitting many residents at once (an Excel import): check every row against the database,
then write them all in one transaction or none at all.

The single-resident path is `services.admit_resident`; this module applies the same rules
(GB 11643 ID numbers, one open stay per person and per bed, the classification of REFERENCE
§1.4, an audit row per chunk of residents) with set-based queries and multi-row INSERTs
(`core.bulk_insert`), so 200,000 rows are not 200,000 round trips. Nothing here knows about
spreadsheets: callers pass `Admission` values and get back `Problem`s naming the field, which
the caller maps to its own columns.

Two ways to write. `admit_many` does everything in this process: the ids of every row of a
chunk are reserved first (`bulk_insert.Ids`), so a helper thread can turn the next chunk into
statement parameters (encryption, blind indexes, pinyin) while this thread executes the
current chunk's INSERTs; both share the GIL, so the overlap is partial. A split import puts the
row building in another process (`Builder` there, `Importer` here; `interop.import_pipeline`
runs them), which uses a second core. Either way only the process and thread holding the
transaction touch the database, and an error anywhere rolls everything back.
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

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone

from yiyang.core import audit
from yiyang.core.bulk_insert import (
    IdCounter,
    IdGrants,
    Ids,
    NoMoreIds,
    Portable,
    Prepared,
    Table,
    exact_str,
)
from yiyang.core.fields import keyring
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


class BedBook:
    """A home's beds and which of them are taken, read once, for checking rows without the
    database (in the process that builds rows, too)."""

    def __init__(self, beds: dict[BedKey, tuple[int, bool]], taken: set[int]) -> None:
        self.beds, self.taken = beds, taken

    @classmethod
    def load(cls, home: NursingHome) -> BedBook:
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
        return cls(beds, taken)

    def resolve(self, adm: Admission) -> Problem | None:
        """Sets `adm.bed_id`, or says why the bed cannot be had."""
        found = self.beds.get(adm.bed)
        if found is not None and found[1] and found[0] not in self.taken:
            adm.bed_id = found[0]
            return None
        where = "{} {} {}床".format(*adm.bed)
        if found is None:
            return Problem(adm.row, "bed", f"床位不存在：本机构没有 {where}")
        if not found[1]:
            return Problem(adm.row, "bed", f"床位 {where} 已停用")
        return Problem(adm.row, "bed", f"床位 {where} 已有人入住")


def check(home: NursingHome, admissions: Sequence[Admission]) -> list[Problem]:
    """Problems that need the database: unknown, inactive or taken beds, and ID numbers that
    already have a record. Resolves `bed_id` on each admission as a side effect."""
    book = BedBook.load(home)
    problems = [p for a in admissions if (p := book.resolve(a)) is not None]
    problems += registered(id_indexes(admissions))
    return sorted(problems, key=lambda p: p.row)


def id_indexes(admissions: Iterable[Admission]) -> list[tuple[int, str]]:
    """(row, blind index of the ID number) of the admissions that have an ID number."""
    return [(a.row, index) for a in admissions if a.id_number and (index := _index_of(a))]


def registered(indexes: Sequence[tuple[int, str]]) -> list[Problem]:
    """A problem for each (row, ID-number blind index) that a person already has."""
    rows = {index: row for row, index in indexes}
    return [
        Problem(
            rows[index], "id_number", "该证件号码已在系统中建档，请在老人页面办理入住，不能重复导入"
        )
        for index in _registered(list(rows))
    ]


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


class _DbValues:
    """Database values of the import's column types, as `Table.prepare`'s converters give
    them (`core.bulk_insert`), for building rows as tuples."""

    def __init__(self, connection: Any) -> None:
        self._adapt_date = connection.ops.adapt_datefield_value
        self._dates: dict[date, Any] = {}
        self._ints_for_bools = connection.vendor == "sqlite"
        self.text = exact_str  # a TextChoices member as the plain str

    def date(self, value: date) -> Any:
        known = self._dates.get(value)
        if known is None:
            known = self._dates[value] = self._adapt_date(value)
        return known

    def flag(self, value: bool) -> Any:
        return int(value) if self._ints_for_bools else value


# An emergency contact before encryption: (contact id, person id, name, relation, phone).
# Its table's place in `_Writer`'s order (after the persons it points at).
CONTACTS_AT = 4
_ContactValues = tuple[int, int, str, str, str]


@dataclass
class _Rows:
    """`_Writer.prepare`'s result: the tables in order without the contacts, and those."""

    prepared: list[Prepared]
    contacts: list[_ContactValues]


@dataclass
class _Chunk:
    """One chunk's admissions with their classification and reserved ids."""

    number: int  # 1, 2, ... within the import
    batch: list[Admission]
    classes: list[tuple[Any, ...] | None]  # the classification's columns after person_id
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
        self.ids: dict[type, Any] = {m: Ids(m, connection=connection) for m, _ in specs}
        self._db = _DbValues(connection)
        self._phone_index = Person._meta.get_field("phone_index").index_of
        self._contact_phone_index = Contact._meta.get_field("phone_index").index_of
        self._constants = (
            rules.StayStatus.IN_RESIDENCE.value,
            rules.StayEvent.ADMIT.value,
            actor.username,
            Contact.Kind.EMERGENCY.value,
        )
        self._tails: dict[int, tuple[Any, ...]] = {}  # id(classification dict) -> its columns
        for model, keys in specs:  # the tuples `prepare` builds follow these columns
            expected = {
                Person: (*keys, "id_number_index", "phone_index"),
                Contact: (*keys, "phone_index"),
            }.get(model, keys)
            if self.tables[model].ready_columns != expected:
                raise RuntimeError(f"{model.__name__}: columns changed, update _Writer.prepare")

    def tail(self, values: dict[str, Any] | None) -> tuple[Any, ...] | None:
        """A classification's columns after person_id, as database values (`_Classifier`
        hands out one dict per combination, so each is converted once)."""
        if values is None:
            return None
        known = self._tails.get(id(values))
        if known is None:
            db, convert = self._db, {"classified_on": self._db.date}
            flags = ("has_disability", "is_current")
            known = self._tails[id(values)] = tuple(
                db.flag(values[k]) if k in flags else convert.get(k, db.text)(values[k])
                for k in self.RECORD[4:]
            )
        return known

    def reserve(self, batch: list[Admission], classes: list[dict[str, Any] | None]) -> _Chunk:
        """Ids for every row of the chunk (database access unless the ids come from a
        `bulk_insert.IdCounter` / `IdGrants`)."""
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
            self.chunks,
            batch,
            [self.tail(c) for c in classes],
            {m: self.ids[m].take(c) for m, c in counts.items()},
        )

    def _chunk_changes(self, chunk: _Chunk, record_ids: list[int]) -> dict[str, Any]:
        """The chunk's audit row: which import, and the ids of every person, stay and
        classification it created (the rows themselves hold the values: the person and stay
        their fields, the admission event who recorded it, the classification its inputs and
        basis). `person_id_min`/`_max` let `audit_events_of_person` find the row by range."""
        persons = chunk.ids[Person]
        categories: dict[str, int] = {}
        at = self.RECORD.index("category") - 4  # position in the tail after id .. person_id
        for c in chunk.classes:
            if c is not None:
                categories[c[at]] = categories.get(c[at], 0) + 1
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

    def prepare(self, chunk: _Chunk) -> _Rows:
        """Every row of every table for one chunk, as statement parameters (no database),
        except the contacts: those come as their few plain values, for `complete` to turn
        into rows. (A split import builds them in the process that holds the transaction,
        which otherwise waits on the building process: bench/README.md.)

        Rows are built as tuples of database values (`Table.prepare_ready`): the columns that
        are the same for the whole import are converted once, each distinct date once, and
        only the ID number, phones and pinyin are worked out per resident. The values are the
        ones `Table.prepare` would give (tests/residents/test_bulk_rows.py compares them)."""
        home, batch, ids, db = self.home, chunk.batch, chunk.ids, self._db
        org, region, encrypt, date_value = home.pk, home.region_code, keyring().encrypt, db.date
        phone_index = self._phone_index
        person_ids, stay_ids = ids[Person], ids[Stay]
        persons, stays, profiles, events, contacts, records = [], [], [], [], [], []
        in_residence, admit, recorded_by, _ = self._constants
        contact_ids, record_ids = iter(ids[Contact]), iter(ids[KeyPopulationRecord])
        made_records: list[int] = []
        for pid, sid, hid, eid, adm, tail in zip(
            person_ids,
            stay_ids,
            ids[HealthProfile],
            ids[StayEventRecord],
            batch,
            chunk.classes,
            strict=True,
        ):
            pinyin, initials = pinyin_keys(adm.name)
            admitted = date_value(adm.admitted_on)
            persons.append(
                (
                    pid,
                    org,
                    region,
                    adm.name,
                    db.text(adm.sex),
                    date_value(adm.birth_date),
                    db.text(adm.document_type),
                    encrypt(adm.id_number) if adm.id_number else "",
                    encrypt(adm.phone) if adm.phone else "",
                    adm.ethnicity,
                    adm.address,
                    pinyin,
                    initials,
                    _index_of(adm),
                    phone_index(adm.phone),
                )
            )
            stays.append((sid, home.pk, region, pid, adm.bed_id, admitted, in_residence))
            profiles.append(
                (
                    hid,
                    org,
                    region,
                    pid,
                    adm.allergies,
                    adm.diet,
                    db.text(adm.disability_level),
                    adm.disability_certificate_no,
                    adm.designated_hospital,
                )
            )
            events.append(
                (eid, home.pk, region, sid, admit, admitted, adm.bed_id, recorded_by, "批量导入")
            )
            if adm.contact_name:
                contacts.append(
                    (
                        next(contact_ids),
                        pid,
                        adm.contact_name,
                        adm.contact_relation,
                        adm.contact_phone,
                    )
                )
            if tail is not None:
                rid = next(record_ids)
                made_records.append(rid)
                records.append((rid, org, region, pid, *tail))
        trail = [
            {
                **audit.row_values(
                    self.actor,
                    AUDIT_ACTION,
                    model=Person,
                    object_id="",  # many objects: their ids are in `changes`
                    object_repr=(
                        f"{home.name} 批量导入第 {chunk.number} 批 {len(batch)} 位老人"
                        f"（老人编号 {person_ids[0]}–{person_ids[-1]}）"
                    ),
                    object_org_id=home.pk,
                    region_code=region,
                    changes=self._chunk_changes(chunk, made_records),
                ),
                "id": ids[AuditEvent][0],
            }
        ]
        t = self.tables
        return _Rows(
            [
                t[Person].prepare_ready(persons),
                t[Stay].prepare_ready(stays),
                t[HealthProfile].prepare_ready(profiles),
                t[StayEventRecord].prepare_ready(events),
                t[KeyPopulationRecord].prepare_ready(records),
                t[AuditEvent].prepare(trail),
            ],
            contacts,
        )

    def contact_rows(self, contacts: list[_ContactValues]) -> Prepared:
        org, region, emergency = self.home.pk, self.home.region_code, self._constants[3]
        encrypt, phone_index = keyring().encrypt, self._contact_phone_index
        return self.tables[Contact].prepare_ready(
            [
                (
                    cid,
                    org,
                    region,
                    pid,
                    emergency,
                    name,
                    relation,
                    encrypt(phone) if phone else "",
                    phone_index(phone),
                )
                for cid, pid, name, relation, phone in contacts
            ]
        )

    def complete(self, prepared: list[Prepared], contacts: list[_ContactValues]) -> list[Prepared]:
        """`prepare`'s tables with the contacts' rows built and put in their place (after
        the persons they point at), ready for `_write_chunk`."""
        return [*prepared[:CONTACTS_AT], self.contact_rows(contacts), *prepared[CONTACTS_AT:]]


def _prepare_all(writer: _Writer, chunk: _Chunk) -> list[Prepared]:
    rows = writer.prepare(chunk)
    return writer.complete(rows.prepared, rows.contacts)


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
            pending.append((len(batch), pool.submit(_prepare_all, writer, chunk)))

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
    importer = Importer(actor=actor, home_id=home_id, source=source)
    with importer.transaction():  # rolls back if any problem is found
        importer.problems.extend(check(importer.home, admissions))
        if not importer.problems:
            _write_all(importer.writer, importer.classify, admissions, progress)
    return importer.problems


# ---- split across two processes ------------------------------------------------------------
# An Excel import has three CPU-heavy parts: reading and checking the file, building rows
# (encryption, blind indexes, pinyin), and the database's own INSERT work. `admit_many` runs
# them in one process, where they share one core (the GIL). The pieces below let the caller
# (`interop.import_pipeline`) run the first two in a second process, which streams finished
# chunks to the one holding the transaction: `Importer` there, `Builder` in the other process.


@dataclass(frozen=True)
class Setup:
    """What the building process needs from the database, read inside the transaction."""

    beds: BedBook
    # SQLite: per model label, the first free id (`Ids.first_free`); None on PostgreSQL,
    # where ids arrive in batches (`Importer.grant`).
    first_ids: dict[str, int] | None


@dataclass
class Built:
    """One chunk from the building process."""

    count: int
    problems: list[Problem]  # beds that cannot be had
    id_indexes: list[tuple[int, str]]  # (row, ID-number blind index), for `registered`
    rows: list[Portable] | None  # per table in `_Writer` order; None once anything is wrong
    # The contacts' plain values for the importing process to finish (`_Writer.complete`),
    # or None when their rows are among `rows` already.
    contacts: list[_ContactValues] | None = None


def _label(model: type) -> str:
    return model._meta.label  # type: ignore[attr-defined,no-any-return]


class Builder:
    """Turns admissions into finished rows, chunk by chunk, without touching the database.
    Created in the building process from the `Importer`'s writer and classifier (inherited)
    and the `Setup` it sent; `wait_for_ids` blocks until the next `grant` (PostgreSQL)."""

    def __init__(
        self,
        importer: Importer,
        setup: Setup,
        wait_for_ids: Callable[[], None] | None = None,
    ) -> None:
        self.writer, self.classify, self.beds = importer.writer, importer.classify, setup.beds
        self.failed = False
        self._grants: dict[str, IdGrants] = {}
        sources: dict[type, Any] = {}
        for model in self.writer.ids:
            if setup.first_ids is not None:
                sources[model] = IdCounter(setup.first_ids[_label(model)])
            else:
                if wait_for_ids is None:
                    raise ValueError("ids come in batches here: wait_for_ids is needed")
                sources[model] = self._grants.setdefault(_label(model), IdGrants(wait_for_ids))
        self.writer.ids = sources

    def grant(self, ids: dict[str, Sequence[int]]) -> None:
        for label, batch in ids.items():
            self._grants[label].grant(batch)

    def stop(self) -> None:
        """Something is wrong (here or in the database checks): check the rest, build nothing."""
        self.failed = True

    def build(self, batch: list[Admission]) -> Built:
        """The chunk's rows, with the contacts' left as plain values: `finish_contacts`
        builds them here, or the importing process does (`Importer.accept`), whichever
        would otherwise wait (`interop.import_pipeline`)."""
        problems = [p for a in batch if (p := self.beds.resolve(a)) is not None]
        indexes = id_indexes(batch)
        if problems:
            self.failed = True
        if self.failed:
            return Built(len(batch), problems, indexes, None)
        try:
            chunk = self.writer.reserve(batch, [self.classify(a) for a in batch])
        except NoMoreIds:
            if not self.failed:  # ids stop only after a "stop"
                raise
            return Built(len(batch), problems, indexes, None)
        rows = self.writer.prepare(chunk)
        portable = [p.portable() for p in rows.prepared]
        return Built(len(batch), problems, indexes, portable, rows.contacts)

    def finish_contacts(self, built: Built) -> None:
        if built.rows is not None and built.contacts is not None:
            contacts = self.writer.contact_rows(built.contacts).portable()
            built.rows.insert(CONTACTS_AT, contacts)
            built.contacts = None


class Importer:
    """The side of an import that holds the database: the permission check, the transaction
    with the home's row locked, the writes, the database checks (`admit_many` uses it too).

        importer = Importer(actor=..., home_id=..., source=...)   # before the fork
        with importer.transaction():
            send(importer.setup()); ... importer.accept(built) ...
        importer.problems   # complete once the block has ended

    Nothing is written once a problem is known; the transaction then rolls back. ID numbers
    already on record are found by the person table's unique blind index as the rows go in
    (asking first cost as much again); if anything went wrong, every row's ID number is then
    checked, after the rollback, so that all problems are listed at once."""

    def __init__(self, *, actor: Actor, home_id: int, source: dict[str, Any] | None) -> None:
        self.home = get_visible_or_404(NursingHome, actor, Action.CHANGE, pk=home_id)
        require(actor, Perm.ADMIT_RESIDENTS)
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.writer = _Writer(actor, self.home, self.connection, source)
        self.classify = _Classifier(timezone.localdate(), actor, rules.load_rule_set())
        self._ids = dict(self.writer.ids)  # the database's own, kept from the Builder's swap
        self.problems: list[Problem] = []
        self.failed = False  # the file had errors of its own (`fail`)
        self.conflict: IntegrityError | None = None  # a write refused by a unique index
        self._id_indexes: list[tuple[int, str]] = []
        self.written = 0

    @property
    def stopped(self) -> bool:
        """Whether anything is wrong: nothing more is written, and all is rolled back."""
        return bool(self.problems or self.failed or self.conflict)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with _import_cache(self.connection), transaction.atomic(durable=True):
            # Lock the home's row so two imports into one home cannot both take the same
            # beds; the partial unique indexes would reject the loser anyway, losing its file.
            NursingHome.objects.select_for_update().filter(pk=self.home.pk).exists()
            yield
            if self.stopped:
                transaction.set_rollback(True)
        if self.stopped:
            self.problems.extend(registered(self._id_indexes))
            self.problems.sort(key=lambda p: p.row)
            if self.conflict is not None and not self.problems and not self.failed:
                raise self.conflict  # refused for another reason than an ID on record

    @property
    def grants_ids(self) -> bool:
        return not all(ids.counts_locally for ids in self._ids.values())

    def setup(self) -> Setup:
        first = (
            None
            if self.grants_ids
            else {_label(m): ids.first_free() for m, ids in self._ids.items()}
        )
        return Setup(BedBook.load(self.home), first)

    def grant(self) -> dict[str, Sequence[int]] | None:
        """Ids for one more chunk of every table (PostgreSQL), to send to the `Builder`; a
        contiguous run (the usual case) travels as a `range`. None once stopped (after a
        refused write, PostgreSQL takes no more statements in the transaction)."""
        if self.stopped:
            return None
        granted: dict[str, Sequence[int]] = {}
        for model, ids in self._ids.items():
            taken = ids.take(1 if model is AuditEvent else CHUNK)
            contiguous = taken and taken[-1] - taken[0] == len(taken) - 1
            granted[_label(model)] = range(taken[0], taken[-1] + 1) if contiguous else taken
        return granted

    def accept(self, built: Built) -> None:
        """Write a built chunk unless anything is wrong with it or an earlier one."""
        self.problems.extend(built.problems)
        self._id_indexes.extend(built.id_indexes)
        if self.stopped or built.rows is None:
            return
        tables = self.writer.tables
        if built.contacts is None:
            pairs = zip(tables.values(), built.rows, strict=True)
            prepared = [t.restore(r) for t, r in pairs]
        else:
            others = (t for m, t in tables.items() if m is not Contact)
            restored = [t.restore(r) for t, r in zip(others, built.rows, strict=True)]
            prepared = self.writer.complete(restored, built.contacts)
        try:
            _write_chunk(prepared)
        except IntegrityError as exc:  # most likely an ID number on record: see the class
            self.conflict = exc
            return
        self.written += built.count

    def fail(self) -> None:
        """The file has errors of its own: write nothing more, roll back at the end."""
        self.failed = True
