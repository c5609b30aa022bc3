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

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

from yiyang.core.fields import BlindIndexField, EncryptedTextField, keyring

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


def _json_text_encoder() -> Callable[[Any], str] | None:
    """`json.dumps(value)` with default arguments, as one reusable function: json.dumps builds
    its C encoder again on every call (about 2 µs of the 6 an audit row's changes take). The
    same encoder, separators and ASCII escaping, so the text is identical; only the check for
    reference cycles is left out (these are plain dicts of rows, never cyclic)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return None
    encode = make(
        None,  # no cycle markers: keeps the encoder free of state, safe in any thread
        json.JSONEncoder().default,
        json.encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )
    join = "".join
    return lambda value: join(encode(value, 0))


_json_text = _json_text_encoder()


def _adapts_with_dumps(connection: Any) -> bool:
    """Whether this backend stores a JSONField value as plain `json.dumps` text (SQLite;
    PostgreSQL wraps it in a psycopg Jsonb adapter instead)."""
    probe = {"k": ["值", 1, None, True]}
    return connection.ops.adapt_json_value(probe, None) == json.dumps(probe)


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    """How one field's Python value becomes its database value (`get_db_prep_save`)."""
    prep = field.get_db_prep_save
    if type(field) is EncryptedTextField:

        def convert_secret(value: Any) -> Any:
            # For a str, get_db_prep_save is get_prep_value: the keyring's ciphertext, or the
            # empty string as it is (EncryptedTextField.get_prep_value, minus two calls).
            if type(value) is str:
                return keyring().encrypt(value) if value else value
            return prep(value, connection)

        return convert_secret
    if isinstance(field, EncryptedTextField):
        encrypt = field.get_prep_value

        def convert_subclassed_secret(value: Any) -> Any:
            return encrypt(value) if type(value) is str else prep(value, connection)

        return convert_subclassed_secret
    if type(field) is models.DateField:  # not DateTimeField, whose values need time zones
        adapt = connection.ops.adapt_datefield_value

        def convert_date(value: Any) -> Any:
            # DateField.get_db_prep_save(d) is adapt_datefield_value(to_python(d)), and
            # to_python returns a plain date unchanged.
            return adapt(value) if type(value) is date else prep(value, connection)

        return convert_date
    if isinstance(field, models.JSONField):
        adapt_json, encoder = connection.ops.adapt_json_value, field.encoder
        if encoder is None and _json_text is not None and _adapts_with_dumps(connection):
            to_text = _json_text

            def convert_json_text(value: Any) -> Any:
                # As below, with json.dumps's own C encoder built once instead of per value.
                return to_text(value) if type(value) is dict else prep(value, connection)

            return convert_json_text

        def convert_json(value: Any) -> Any:
            # JSONField.get_db_prep_save(a dict) is adapt_json_value(the dict, its encoder).
            return adapt_json(value, encoder) if type(value) is dict else prep(value, connection)

        return convert_json
    as_null = prep(None, connection)  # e.g. an audit row's missing IP address, once

    def convert(value: Any) -> Any:
        return as_null if value is None else prep(value, connection)

    return convert


def exact_str(value: Any) -> Any:
    """A str subclass (a TextChoices member) as the plain str the driver binds for it:
    sqlite3 binds exact str, int and float directly but sends anything else, None and bool
    included, through its adapter registry first (about 0.6 µs a value, on the writing
    thread)."""
    return value if type(value) is str or not isinstance(value, str) else str.__str__(value)


def _bool_as_int(value: Any) -> Any:
    """True/False as 1/0, which is what sqlite3 stores for a bool (see `exact_str`)."""
    return int(value) if type(value) is bool else value


def _sql_literal(value: Any) -> str | None:
    """SQL text for a model default that can be written into the statement instead of being
    bound for every row: NULL, an integer, a boolean as 0/1, the empty string. None for
    anything else (those stay parameters: a value is never spliced into SQL)."""
    if value is None:
        return "NULL"
    if type(value) is bool:
        return "1" if value else "0"
    if type(value) is int:
        return str(value)
    if type(value) is str and value == "":
        return "''"
    return None


# The layout of `Table.prepare_ready`: the caller's keys in order, then the blind indexes.
_READY: tuple[tuple[int, ...], tuple[int, ...]] = ((-1,), ())


@dataclass(frozen=True, eq=False)  # one instance per layout: compared and hashed by identity
class _Layout:
    """How one `prepare` call's rows become statement parameters: which of the row's own
    columns are written as NULL literals (NULL in every row), which get `exact_str` /
    `_bool_as_int` (their first value is a TextChoices member or a bool), in column order."""

    key: tuple[tuple[int, ...], tuple[int, ...]]  # (NULL columns, normalised columns)
    columns: tuple[str, ...]  # attnames of the bound values, in order
    literals: tuple[tuple[str, str], ...]  # (attname, SQL text) written into the statement
    head: str
    one: str  # the VALUES tuple for one row
    width: int  # parameters per row
    pick: Callable[[dict[str, Any]], tuple[Any, ...]]
    converted: list[tuple[str, Callable[[Any], Any]]]


@dataclass(frozen=True)
class Prepared:
    """Parameters of one `Table`'s rows, ready for `Table.write`."""

    table: Table
    params: list[Any]
    count: int
    layout: _Layout

    def rows(self) -> list[dict[str, Any]]:
        """Each row as {attname: database value}, literals included (NULL as None): what the
        INSERT stores, whatever the layout; for tests and debugging."""
        layout, width = self.layout, self.layout.width
        fixed = {name: _literal_value(text) for name, text in layout.literals}
        return [
            {
                **dict(zip(layout.columns, self.params[i * width : (i + 1) * width], strict=True)),
                **fixed,
            }
            for i in range(self.count)
        ]

    def portable(self) -> Portable:
        """The same rows as plain data (for a pipe to another process): the receiving process
        compiles its own `Table` for the model and gets them back with `Table.restore`."""
        return Portable(self.layout.key, self.params, self.count)


@dataclass(frozen=True)
class Portable:
    """`Prepared` without its `Table`: layout key, parameters, row count (picklable)."""

    layout: tuple[tuple[int, ...], tuple[int, ...]]
    params: list[Any]
    count: int


def _literal_value(text: str) -> Any:
    """The value of a `_sql_literal` text."""
    return int(text) if text.isdigit() else {"NULL": None, "''": ""}[text]


def _all_none(rows: Sequence[dict[str, Any]], name: str) -> bool:
    return all(row[name] is None for row in rows)


def _tuple_getter(names: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    if not names:
        return lambda row: ()
    if len(names) == 1:
        one = itemgetter(names[0])
        return lambda row: (one(row),)
    return itemgetter(*names)


class Table:
    """One model's multi-row INSERT for rows that all carry the same keys (field attnames;
    the primary key too when the caller reserved ids with `Ids`). Fields not among the keys
    take their default; blind indexes are computed from their source; `auto_now` fields get
    one stamp per `prepare` call. `prepare` needs no database and is safe in another thread.

    On SQLite, values that need no binding are written into the statement instead:
    non-callable defaults that are NULL, an integer or the empty string, and nullable columns
    that are NULL in every row of a `prepare` call. sqlite3 binds exact str, int and float
    directly but sends NULLs, bools and str subclasses through its adapter registry (about
    0.6 µs each, on the thread that writes); so bools and TextChoices members are also turned
    into plain int / str while preparing.
    """

    def __init__(
        self, model: type[models.Model], keys: Iterable[str], *, connection: Any = None
    ) -> None:
        self.model = model
        self.connection = connection or connections[DEFAULT_DB_ALIAS]
        self._inline = self.connection.vendor == "sqlite"
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
        literals: list[tuple[models.Field, str]] = []
        for f in fields.values():
            if isinstance(f, BlindIndexField):
                blind.append(f)  # always from its source, never taken from the row
            elif _is_auto_stamp(f):
                stamped.append(f)
            elif f.attname in keys:
                (plain if _is_passthrough(f) else converted).append(f)
            elif not f.primary_key:
                literal = (
                    _sql_literal(self._db_default(f))
                    if self._inline and not (f.has_default() and callable(f.default))
                    else None
                )
                if literal is None:
                    defaults.append(f)
                else:
                    literals.append((f, literal))
        self.fields = [*plain, *converted, *blind, *stamped, *defaults, *(f for f, _ in literals)]
        self.keys = keys
        # What `prepare_ready` takes per row, in this order (attnames).
        self.ready_columns = (*keys, *(f.attname for f in blind))
        self._ready_fields = [*(fields[k] for k in keys), *blind]
        self._own = [*plain, *converted]  # the row's own values
        self._plain_count = len(plain)
        self._converters = [_converter(f, self.connection) for f in converted]
        self._blind_fields = blind
        self._blind = [(f.source, f.index_of) for f in blind]
        self._stamped, self._defaulted, self._literals = stamped, defaults, literals
        # Columns that may be NULL in every row of a call: nullable, and None stays None.
        self._nullable = (
            tuple(
                i
                for i, f in enumerate(self._own)
                if f.null
                and not f.primary_key
                and (i < len(plain) or self._converters[i - len(plain)](None) is None)
            )
            if self._inline
            else ()
        )
        self._quote = self.connection.ops.quote_name
        self._returning = f" RETURNING {self._quote(pk.column)}"
        self._layouts: dict[tuple[tuple[int, ...], tuple[int, ...]], _Layout] = {}
        self._texts: dict[tuple[_Layout, int, bool], str] = {}

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

    def _layout(self, nulls: tuple[int, ...], fixed: tuple[int, ...]) -> _Layout:
        """Column order and per-row functions for these NULL and to-be-normalised columns
        (positions in `self._own`)."""
        key = (nulls, fixed)
        if key in self._layouts:
            return self._layouts[key]
        if key == _READY:
            return self._layouts.setdefault(key, self._make_ready_layout())
        n_plain = self._plain_count
        picked = [i for i in range(n_plain) if i not in nulls and i not in fixed]
        normalised = [i for i in fixed if i not in nulls]
        kept = [i for i in range(n_plain, len(self._own)) if i not in nulls]
        convert: list[tuple[str, Callable[[Any], Any]]] = [
            (
                self._own[i].attname,
                _bool_as_int if isinstance(self._own[i], models.BooleanField) else exact_str,
            )
            for i in normalised
        ] + [(self._own[i].attname, self._converters[i - n_plain]) for i in kept]
        bound = [
            *(self._own[i] for i in picked),
            *(self._own[i] for i in normalised),
            *(self._own[i] for i in kept),
            *self._blind_fields,
            *self._stamped,
            *self._defaulted,
        ]
        literal = [*((self._own[i], "NULL") for i in nulls), *self._literals]
        quote = self._quote
        columns = [*bound, *(f for f, _ in literal)]
        head = (
            f"INSERT INTO {quote(self.model._meta.db_table)} "  # noqa: S608
            f"({', '.join(quote(f.column) for f in columns)}) VALUES "
        )
        # Identifiers from the model, quoted by the backend. Values are parameters, apart
        # from NULL and the model's own constant defaults (`_sql_literal`).
        mark = "?" if self.connection.vendor == "sqlite" else "%s"
        one = "(" + ", ".join([*([mark] * len(bound)), *(text for _, text in literal)]) + ")"
        layout = _Layout(
            key=key,
            columns=tuple(f.attname for f in bound),
            literals=tuple((f.attname, text) for f, text in literal),
            head=head,
            one=one,
            width=len(bound),
            pick=_tuple_getter([self._own[i].attname for i in picked]),
            converted=convert,
        )
        self._layouts[key] = layout
        return layout

    def _make_ready_layout(self) -> _Layout:
        bound = [*self._ready_fields, *self._stamped, *self._defaulted]
        quote = self._quote
        columns = [*bound, *(f for f, _ in self._literals)]
        head = (
            f"INSERT INTO {quote(self.model._meta.db_table)} "  # noqa: S608
            f"({', '.join(quote(f.column) for f in columns)}) VALUES "
        )
        mark = "?" if self.connection.vendor == "sqlite" else "%s"
        one = "(" + ", ".join([*([mark] * len(bound)), *(t for _, t in self._literals)]) + ")"
        return _Layout(
            key=_READY,
            columns=tuple(f.attname for f in bound),
            literals=tuple((f.attname, text) for f, text in self._literals),
            head=head,
            one=one,
            width=len(bound),
            pick=tuple,
            converted=[],
        )

    def _layout_for(self, rows: Sequence[dict[str, Any]]) -> _Layout:
        if not rows or not self._inline:
            return self._layout((), ())
        first = rows[0]
        nulls = tuple(i for i in self._nullable if _all_none(rows, self._own[i].attname))
        fixed = tuple(
            i
            for i, f in enumerate(self._own[: self._plain_count])
            if type(value := first[f.attname]) is bool
            or (isinstance(value, str) and type(value) is not str)
        )
        return self._layout(nulls, fixed)

    def per_statement(self, layout: _Layout | None = None) -> int:
        width = (layout or self._layout((), ())).width
        return max(1, _MAX_PARAMS // max(1, width))

    def prepare(self, rows: Sequence[dict[str, Any]]) -> Prepared:
        """Database values of `rows`, flattened in column order (no database access)."""
        constants = self._constants()
        layout = self._layout_for(rows)
        params: list[Any] = []
        extend, pick, converted, blind = params.extend, layout.pick, layout.converted, self._blind
        for row in rows:
            extend(pick(row))
            if converted:
                extend([convert(row[key]) for key, convert in converted])
            if blind:
                extend([index_of(row.get(source)) for source, index_of in blind])
            extend(constants)
        return Prepared(self, params, len(rows), layout)

    def prepare_ready(self, rows: Sequence[tuple[Any, ...]]) -> Prepared:
        """Rows given as tuples of database values, in the order of `ready_columns` (the
        keys, then the blind indexes): what `prepare` would bind, i.e. ciphertexts, blind
        indexes, dates as the backend adapts them, exact str and int (bools as 0/1 on
        SQLite). Stamps and defaults are added as in `prepare`.

        For a caller that converts more cheaply than per-field converters can (a constant
        column once per batch, a date once per distinct date); it must give the values
        `prepare` would, which its tests check column by column."""
        if rows and len(rows[0]) != len(self.ready_columns):
            raise ValueError(
                f"{self.model.__name__}: {len(rows[0])} values for {len(self.ready_columns)} "
                "columns"
            )
        constants = tuple(self._constants())
        params: list[Any] = []
        extend = params.extend
        for row in rows:
            extend(row)
            extend(constants)
        return Prepared(self, params, len(rows), self._layout(*_READY))

    def restore(self, rows: Portable) -> Prepared:
        """Rows prepared by this model's `Table` in another process, ready to `write`."""
        return Prepared(self, rows.params, rows.count, self._layout(*rows.layout))

    def _text(self, layout: _Layout, count: int, returning: bool) -> str:
        """The statement for `count` rows, in the driver's own placeholder style."""
        key = (layout, count, returning)
        if key not in self._texts:
            self._texts[key] = (
                layout.head
                + ", ".join([layout.one] * count)
                + (self._returning if returning else "")
            )
        return self._texts[key]

    def _statements(
        self, prepared: Prepared, returning: bool
    ) -> Iterator[tuple[str, list[Any], int]]:
        layout, params = prepared.layout, prepared.params
        width, per = layout.width, self.per_statement(layout)
        for start in range(0, prepared.count, per):
            count = min(per, prepared.count - start)
            yield (
                self._text(layout, count, returning),
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
        layout = prepared.layout
        width, params = layout.width, prepared.params  # no literals on PostgreSQL
        # The layout's quoted identifiers; no value is ever part of the statement.
        sql = layout.head.replace("INSERT INTO", "COPY", 1).replace(" VALUES ", "")
        sql += " FROM STDIN"
        with self.connection.cursor() as cursor, self.connection.wrap_database_errors:
            raw = cursor.cursor  # psycopg's own cursor, in the same transaction
            with raw.copy(sql) as copy:
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

    @property
    def counts_locally(self) -> bool:
        """Whether ids are a local counter once started (SQLite), so another process can
        hand them out from `first_free`; otherwise each batch comes from `take` (PostgreSQL)."""
        return self.connection.vendor == "sqlite"

    def take(self, count: int) -> list[int]:
        if not self.connection.in_atomic_block:
            raise RuntimeError("ids can only be reserved inside the transaction that uses them")
        if count <= 0:
            return []
        if self.connection.vendor == "postgresql":
            table, pk = self.model._meta.db_table, self.model._meta.pk.column
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.connection.ops.quote_name(table), pk, count],
                )
                return sorted(r[0] for r in cursor.fetchall())
        first = self.first_free()
        self._next = first + count
        return list(range(first, first + count))

    def first_free(self) -> int:
        """SQLite: the next id `take` would hand out (nothing is reserved by asking)."""
        if not self.connection.in_atomic_block:
            raise RuntimeError("ids can only be reserved inside the transaction that uses them")
        if self._next is None:
            table, pk = self.model._meta.db_table, self.model._meta.pk.column
            quote = self.connection.ops.quote_name
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT max({quote(pk)}) FROM {quote(table)}")  # noqa: S608
                highest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                self._next = max(highest, row[0] if row else 0) + 1
        return self._next


class IdCounter:
    """`Ids.take` for a process without the database, from SQLite's `Ids.first_free`: valid
    only while the process that asked holds the write transaction and inserts nothing else
    into the table."""

    def __init__(self, first: int) -> None:
        self._next = first

    def take(self, count: int) -> list[int]:
        first, self._next = self._next, self._next + max(count, 0)
        return list(range(first, self._next))


class NoMoreIds(RuntimeError):
    """`IdGrants.take` asked for more ids than were granted, and none came."""


class IdGrants:
    """`Ids.take` for a process without the database, from batches that the process holding
    the transaction reserved with `Ids.take` and sent over (PostgreSQL). Ids are handed out in
    order; what a batch leaves over goes to the next request, so only the ids left at the
    very end are never used (a gap in the sequence, as a rolled-back insert leaves)."""

    def __init__(self, wait_for_more: Callable[[], None]) -> None:
        self._ids: list[int] = []
        self._start = 0
        self._wait_for_more = wait_for_more

    def grant(self, ids: Iterable[int]) -> None:
        self._ids = [*self._ids[self._start :], *ids]
        self._start = 0

    def take(self, count: int) -> list[int]:
        while len(self._ids) - self._start < count:
            before = len(self._ids) - self._start
            self._wait_for_more()
            if len(self._ids) - self._start == before:
                raise NoMoreIds("no more ids were granted")
        taken = self._ids[self._start : self._start + count]
        self._start += count
        return taken


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
