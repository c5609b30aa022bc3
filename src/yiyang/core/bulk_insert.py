"""Inserting many rows of one model without building model instances.

`QuerySet.bulk_create` spends about 7 µs per value on instances and per-value SQL compilation,
which is most of a 200,000-row import (about 128 values per resident). This writes plain dicts
with multi-row `INSERT` statements. It keeps the model's semantics that matter here: defaults
for fields left out, `auto_now`/`auto_now_add` stamps, encrypted fields encrypted and blind
indexes computed from their source (core.fields), and every value passed through the field's
own `get_db_prep_save` unless the field is a plain passthrough type (a `date` goes straight to
the backend's `adapt_datefield_value`, which is all `DateField` does with one).
Callers run it inside their transaction; it is for trusted, already-validated rows only.

Two ways in:

* `insert(model, rows)`: convert and insert in one call, ids from ``RETURNING``.
* `Table` and `Ids`, for a writer that wants the CPU work off the database's critical path:
  `Ids.take` reserves primary keys in the caller's transaction, `Table.prepare` turns rows
  (carrying those ids) into statement parameters without touching the database, so it can run
  in another thread while the previous batch is being written, and `Table.write` executes:
  multi-row INSERTs on SQLite, ``COPY … FROM STDIN`` on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

from yiyang.core.fields import BlindIndexField, EncryptedTextField

# Field types whose Python value is already what the database driver takes.
_PASSTHROUGH = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)
_MAX_PARAMS = 30_000  # under SQLite's 32,766 variables (3.32+) and PostgreSQL's 65,535


def _is_passthrough(field: models.Field) -> bool:
    return isinstance(field, _PASSTHROUGH) and not isinstance(field, EncryptedTextField)


def _is_auto_stamp(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def _python_default(field: models.Field) -> Any:
    return field.get_default() if field.has_default() else (None if field.null else "")


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    """How one field's Python value becomes its database value (`get_db_prep_save`)."""
    prep = field.get_db_prep_save
    if isinstance(field, EncryptedTextField):
        encrypt = field.get_prep_value

        def convert_secret(value: Any) -> Any:
            # For a str, get_db_prep_save is just get_prep_value: encrypted unless empty.
            return encrypt(value) if type(value) is str else prep(value, connection)

        return convert_secret
    if type(field) is models.DateField:  # not DateTimeField, whose values need time zones
        adapt = connection.ops.adapt_datefield_value

        def convert_date(value: Any) -> Any:
            # DateField.get_db_prep_save(d) is adapt_datefield_value(to_python(d)), and
            # to_python returns a plain date unchanged.
            return adapt(value) if type(value) is date else prep(value, connection)

        return convert_date
    if isinstance(field, models.JSONField):
        adapt_json, encoder = connection.ops.adapt_json_value, field.encoder

        def convert_json(value: Any) -> Any:
            # JSONField.get_db_prep_save(a dict) is adapt_json_value(the dict, its encoder).
            return adapt_json(value, encoder) if type(value) is dict else prep(value, connection)

        return convert_json
    as_null = prep(None, connection)  # e.g. an audit row's missing IP address, once

    def convert(value: Any) -> Any:
        return as_null if value is None else prep(value, connection)

    return convert


@dataclass(frozen=True)
class Prepared:
    """Parameters of one `Table`'s rows, ready for `Table.write`."""

    table: Table
    params: list[Any]
    count: int


class Table:
    """One model's multi-row INSERT for rows that all carry the same keys (field attnames;
    the primary key too when the caller reserved ids with `Ids`). Fields not among the keys
    take their default; blind indexes are computed from their source; `auto_now` fields get
    one stamp per `prepare` call. `prepare` needs no database and is safe in another thread.
    """

    def __init__(
        self, model: type[models.Model], keys: Iterable[str], *, connection: Any = None
    ) -> None:
        self.model = model
        self.connection = connection or connections[DEFAULT_DB_ALIAS]
        keys = tuple(keys)
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [k for k in keys if k not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no field {', '.join(unknown)}")
        pk = model._meta.pk
        plain: list[models.Field] = []
        converted: list[models.Field] = []
        blind: list[BlindIndexField] = []
        stamped: list[models.Field] = []
        defaults: list[models.Field] = []
        for f in fields.values():
            if isinstance(f, BlindIndexField):
                blind.append(f)  # always from its source, never taken from the row
            elif _is_auto_stamp(f):
                stamped.append(f)
            elif f.attname in keys:
                (plain if _is_passthrough(f) else converted).append(f)
            elif not f.primary_key:
                defaults.append(f)
        # Column order: the row's own values first, then the computed ones, then constants.
        self.fields = [*plain, *converted, *blind, *stamped, *defaults]
        self._plain_count = len(plain)
        self._pick = itemgetter(*(f.attname for f in plain)) if plain else None
        self._converted = [(f.attname, _converter(f, self.connection)) for f in converted]
        self._blind = [(f.source, f.index_of) for f in blind]
        self._stamped, self._defaulted = stamped, defaults
        # Identifiers from the model, quoted by the backend; values are always parameters.
        quote = self.connection.ops.quote_name
        target = (
            f"{quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in self.fields)})"
        )
        self._head = f"INSERT INTO {target} VALUES "  # noqa: S608
        self._returning = f" RETURNING {quote(pk.column)}"
        self._copy_sql = f"COPY {target} FROM STDIN"
        self.per_statement = max(1, _MAX_PARAMS // len(self.fields))
        self._texts: dict[tuple[int, bool], str] = {}

    def _db_default(self, field: models.Field) -> Any:
        value = _python_default(field)
        if _is_passthrough(field):
            return value
        return field.get_db_prep_save(value, self.connection)

    def _constants(self) -> list[Any]:
        """The values every row of one `prepare` call shares: one `auto_now` stamp, and the
        defaults (a callable default is called once per call, not per row)."""
        stamp = timezone.now()
        return [
            *(f.get_db_prep_save(stamp, self.connection) for f in self._stamped),
            *(self._db_default(f) for f in self._defaulted),
        ]

    def prepare(self, rows: Sequence[dict[str, Any]]) -> Prepared:
        """Database values of `rows`, flattened in column order (no database access)."""
        constants = self._constants()
        params: list[Any] = []
        extend, pick, converted, blind = params.extend, self._pick, self._converted, self._blind
        if pick is None:
            pick = lambda row: ()  # noqa: E731
        elif self._plain_count == 1:
            one = pick
            pick = lambda row: (one(row),)  # noqa: E731
        for row in rows:
            extend(pick(row))
            if converted:
                extend([convert(row[key]) for key, convert in converted])
            if blind:
                extend([index_of(row.get(source)) for source, index_of in blind])
            extend(constants)
        return Prepared(self, params, len(rows))

    def _text(self, count: int, returning: bool) -> str:
        """The statement for `count` rows, in the driver's own placeholder style."""
        key = (count, returning)
        if key not in self._texts:
            mark = "?" if self.connection.vendor == "sqlite" else "%s"
            one = "(" + ", ".join([mark] * len(self.fields)) + ")"
            self._texts[key] = (
                self._head + ", ".join([one] * count) + (self._returning if returning else "")
            )
        return self._texts[key]

    def _statements(
        self, prepared: Prepared, returning: bool
    ) -> Iterator[tuple[str, list[Any], int]]:
        width, params = len(self.fields), prepared.params
        for start in range(0, prepared.count, self.per_statement):
            count = min(self.per_statement, prepared.count - start)
            yield (
                self._text(count, returning),
                params[start * width : (start + count) * width],
                count,
            )

    def _execute(self, prepared: Prepared, *, returning: bool) -> list[int]:
        connection, ids = self.connection, []
        for text, values, count in self._statements(prepared, returning):
            if connection.vendor == "sqlite":
                # Straight to the driver: Django's SQLite cursor rewrites each %s to ? with a
                # regex on every execute, which on 30,000 placeholders costs more than binding
                # them, and holds the GIL the row-preparing thread needs. Same connection, same
                # transaction, same error translation.
                connection.ensure_connection()
                connection.validate_no_broken_transaction()
                with connection.wrap_database_errors:
                    cursor = connection.connection.execute(text, values)
                    done = cursor.fetchall() if returning else None
                    inserted = len(done) if returning else cursor.rowcount
            else:
                with connection.cursor() as cursor:
                    cursor.execute(text, values)
                    done = cursor.fetchall() if returning else None
                    inserted = len(done) if returning else cursor.rowcount
            if inserted != count:
                raise RuntimeError(f"{self.model.__name__}: inserted {inserted} of {count}")
            if done is not None:
                ids.extend(r[0] for r in done)
        return ids

    def _copy(self, prepared: Prepared) -> None:
        """PostgreSQL: COPY … FROM STDIN, far cheaper than INSERTs with 30,000 parameters."""
        width, params = len(self.fields), prepared.params
        with self.connection.cursor() as cursor, self.connection.wrap_database_errors:
            raw = cursor.cursor  # psycopg's own cursor, in the same transaction
            with raw.copy(self._copy_sql) as copy:
                for start in range(0, len(params), width):
                    copy.write_row(params[start : start + width])
            if raw.rowcount != prepared.count:
                raise RuntimeError(
                    f"{self.model.__name__}: copied {raw.rowcount} of {prepared.count}"
                )

    def write(self, prepared: Prepared) -> None:
        """Insert the rows, which must carry their ids (see `Ids`)."""
        if not prepared.count:
            return
        if self.connection.vendor == "postgresql":
            self._copy(prepared)
        else:
            self._execute(prepared, returning=False)

    def write_returning_ids(self, prepared: Prepared) -> list[int]:
        """Insert the rows and return their new ids, in order."""
        return self._execute(prepared, returning=True)


class Ids:
    """Primary keys for rows this transaction is about to insert into `model`, reserved so the
    rows (and the rows pointing at them) can be prepared before the INSERT runs.

    PostgreSQL: drawn from the table's sequence with ``nextval``, like a default would be.
    SQLite: the next AUTOINCREMENT values, ``max(sqlite_sequence, max(id)) + 1`` onwards; only
    valid inside the write transaction that inserts them (SQLite has one writer at a time, and
    a transaction that read before another committed cannot write at all).
    """

    def __init__(self, model: type[models.Model], *, connection: Any = None) -> None:
        self.model = model
        self.connection = connection or connections[DEFAULT_DB_ALIAS]
        self._next: int | None = None
        if self.connection.vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(f"reserving ids on {self.connection.vendor}")

    def take(self, count: int) -> list[int]:
        if not self.connection.in_atomic_block:
            raise RuntimeError("ids can only be reserved inside the transaction that uses them")
        if count <= 0:
            return []
        table, pk = self.model._meta.db_table, self.model._meta.pk.column
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [quote(table), pk, count],
                )
                return sorted(r[0] for r in cursor.fetchall())
            if self._next is None:
                cursor.execute(f"SELECT max({quote(pk)}) FROM {quote(table)}")  # noqa: S608
                highest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                self._next = max(highest, row[0] if row else 0) + 1
        first = self._next
        self._next += count
        return list(range(first, first + count))


def insert(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert `rows` (dicts keyed by field attname, e.g. ``person_id``); return their ids in
    order. Fields missing from a row take their default."""
    if not rows:
        return []
    keys = list(dict.fromkeys(k for row in rows for k in row))
    if any(len(row) != len(keys) for row in rows):  # some rows leave out some fields
        fields = {f.attname: f for f in model._meta.concrete_fields}
        defaults = {k: _python_default(fields[k]) for k in keys if k in fields}
        rows = [row if len(row) == len(keys) else {**defaults, **row} for row in rows]
    table = Table(model, keys)
    return table.write_returning_ids(table.prepare(rows))
