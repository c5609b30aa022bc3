"""Importing a confirmed residents file on two cores.

Reading and checking the file (`resident_import.RowStream`) and building the rows
(`bulk_admission.Builder`: encryption, blind indexes, pinyin, statement parameters) run in a
forked worker process. It sends each finished chunk of `bulk_admission.CHUNK` residents over a
pipe to this process, which holds the transaction (`bulk_admission.Importer`): it checks the
chunk's ID numbers against the database and executes its INSERTs while the worker builds the
next chunk. All rows or none: the first problem (a bad row, a bed that cannot be had, an ID
number already on record) stops the writing; the worker goes on checking, so that every
problem is listed, and the transaction rolls back.

The worker never touches the database. It inherits this process's connection objects, so any
query through them is made to fail, and it ends with `os._exit`, so nothing of a connection
is closed or flushed from there. If this process dies, the worker's next send fails and it
exits; if the worker dies, this process gets end-of-file and the transaction rolls back.
Where `os.fork` does not exist the worker is a thread: same messages, one core.

Messages, worker → here: ("opened", data rows), ("chunk", row errors, Built | None),
("done", total rows, preview), ("rejected", message), ("crashed", traceback).
Here → worker: ("setup", Setup), ("ids", {model label: ids}) on PostgreSQL, ("written", chunks
done), ("stop",).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import Any, Protocol

from django.db import connections

from yiyang.core.scope import Actor
from yiyang.interop.resident_columns import FIELD_HEADERS
from yiyang.interop.resident_import import (
    PREVIEW_ROWS,
    FileRejected,
    RowError,
    RowStream,
    preview,
)
from yiyang.residents import bulk_admission
from yiyang.residents.bulk_admission import Admission, Builder, Importer

AHEAD = 2  # chunks of ids granted ahead of the worker (PostgreSQL)
# The worker builds a chunk's contacts itself when the importing process has this many of its
# chunks not yet written (it is the slower side); otherwise that process builds them.
BEHIND = 2
# "fork" where the platform has it; tests also run the "thread" variant.
WORKER = "fork" if hasattr(os, "fork") else "thread"


class Progress(Protocol):
    def __call__(self, done: int, *, total: int | None = None) -> None: ...


class WorkerFailed(RuntimeError):
    """The worker process crashed or vanished; the transaction has rolled back."""


@dataclass
class Outcome:
    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)  # sorted by row; empty if imported
    preview: list[dict[str, str]] = field(default_factory=list)
    imported: int = 0


# ---- the worker ------------------------------------------------------------------------------


def _forbid_database() -> None:
    """In the forked worker: the inherited connections belong to the parent's transaction."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("导入工作进程不能访问数据库")

    for connection in connections.all(initialized_only=True):
        connection.execute_wrappers.append(refuse)


class _Worker:
    def __init__(self, pipe: Connection, importer: Importer) -> None:
        self.pipe, self.importer = pipe, importer
        self.builder: Builder | None = None
        self.sent = self.written = 0  # chunks sent, and written by the importing process

    def _handle(self, message: tuple[Any, ...]) -> str:
        kind = message[0]
        if kind == "setup":
            self.builder = Builder(self.importer, message[1], self._wait_for_ids)
        elif kind == "ids":
            assert self.builder is not None
            self.builder.grant(message[1])
        elif kind == "written":
            self.written = message[1]
        elif kind == "stop" and self.builder is not None:
            self.builder.stop()
        return str(kind)

    def _wait_for_ids(self) -> None:
        """Until ids arrive, or a "stop" (then `IdGrants.take` raises `NoMoreIds`)."""
        while self._handle(self.pipe.recv()) not in ("ids", "stop"):
            pass

    def _poll(self) -> None:
        while self.pipe.poll():
            self._handle(self.pipe.recv())

    def _send(self, errors: list[RowError], batch: list[Admission]) -> None:
        """One chunk. Its contacts (encrypting their phones) are left to the importing process
        unless that is `BEHIND` chunks behind, i.e. it is the slower side; without this,
        whichever side has more work makes the other wait."""
        assert self.builder is not None
        built = self.builder.build(batch) if batch else None
        self._poll()
        if built is not None and self.sent - self.written >= BEHIND:
            self.builder.finish_contacts(built)
        self.pipe.send(("chunk", errors, built))
        self.sent += 1

    def _receive_setup(self) -> None:
        while self.builder is None:
            self._handle(self.pipe.recv())

    def run(self, data: bytes, today: date) -> None:
        # python-calamine reads the sheet without holding the GIL, so the setup (the home's
        # beds, sent meanwhile) is received and unpickled alongside instead of after it.
        receiver = threading.Thread(target=self._receive_setup, name="import-setup")
        receiver.start()
        try:
            stream = RowStream(data, today=today)
        finally:
            receiver.join()
        self.pipe.send(("opened", max(stream.height - 1, 0)))
        self._receive_setup()  # a no-op unless the receiver ended early (pipe closed)
        builder, size = self.builder, bulk_admission.CHUNK
        errors: list[RowError] = []
        batch: list[Admission] = []
        first: list[Admission] = []
        for item in stream:
            if type(item) is RowError:
                errors.append(item)
                builder.stop()
                continue
            assert isinstance(item, Admission)
            batch.append(item)
            if len(first) < PREVIEW_ROWS:
                first.append(item)
            if len(batch) >= size:
                self._send(errors, batch)
                errors, batch = [], []
        if batch or errors:
            self._send(errors, batch)
        self.pipe.send(("done", stream.total_rows, preview(first)))


def _work(pipe: Connection, importer: Importer, data: bytes, today: date) -> None:
    try:
        _Worker(pipe, importer).run(data, today)
    except (BrokenPipeError, EOFError, ConnectionResetError):
        pass  # the importing process has gone: nothing to tell
    except FileRejected as exc:
        pipe.send(("rejected", exc.message))
    except BaseException:  # noqa: BLE001 - reported to the importing process, which raises
        pipe.send(("crashed", traceback.format_exc()))


class _Handle:
    """The running worker: a forked process or a thread."""

    def __init__(
        self, importer: Importer, data: bytes, today: date, theirs: Connection, ours: Connection
    ) -> None:
        self.pid: int | None = None
        self.thread: threading.Thread | None = None
        if WORKER == "fork":
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # the worker
                code = 0
                try:
                    ours.close()  # else this process's end stays open and no send ever fails
                    # The parent decides how a Ctrl-C ends the job (the Huey consumer finishes
                    # its task on SIGINT); a SIGTERM ends the worker at once, the parent's
                    # transaction then rolls back. Neither runs the parent's handlers here.
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                    _forbid_database()
                    _work(theirs, importer, data, today)
                except BaseException:  # noqa: BLE001
                    code = 1
                finally:
                    os._exit(code)
            self.pid = pid
            theirs.close()
        else:
            self.thread = threading.Thread(
                target=_work,
                args=(theirs, importer, data, today),
                name="import-worker",
                daemon=True,
            )
            self.thread.start()

    def end(self, *, kill: bool) -> None:
        if self.pid is not None:
            if kill:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None
        elif self.thread is not None:
            self.thread.join(timeout=None if not kill else 30)


# ---- the importing side ---------------------------------------------------------------------


def run(
    *,
    actor: Actor,
    home_id: int,
    data: bytes,
    today: date,
    progress: Progress | None = None,
    source: dict[str, Any] | None = None,
) -> Outcome:
    """Check and import the workbook `data` into the home, all rows or none. Raises
    `FileRejected` for a file that cannot be read as a whole, `WorkerFailed` if the worker
    crashed; either way nothing is written."""
    importer = Importer(actor=actor, home_id=home_id, source=source)
    ours, theirs = Pipe()
    worker = _Handle(importer, data, today, theirs, ours)
    outcome, failed = Outcome(), True
    try:
        with importer.transaction():
            _exchange(ours, importer, outcome, progress)
        failed = False
    finally:
        ours.close()
        worker.end(kill=failed)
    outcome.errors.extend(
        RowError(p.row, FIELD_HEADERS.get(p.field, p.field), p.message) for p in importer.problems
    )
    outcome.errors.sort(key=lambda e: e.row)
    outcome.imported = 0 if outcome.errors else importer.written
    return outcome


def _tell(pipe: Connection, message: tuple[Any, ...]) -> None:
    """A message the worker may no longer read: it may have sent everything and ended."""
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        pipe.send(message)


def _exchange(
    pipe: Connection, importer: Importer, outcome: Outcome, progress: Progress | None
) -> None:
    """Inside the transaction: feed the worker, write what it builds, until it is done."""
    # Every send may find the worker gone (a file rejected as a whole, a crash): what it
    # sent before it ended is still read below, and says why.
    _tell(pipe, ("setup", importer.setup()))
    grants = importer.grants_ids
    for _ in range(AHEAD if grants else 0):
        _tell(pipe, ("ids", importer.grant()))  # not stopped yet: never None here
    stopped, chunks = False, 0
    tick: Callable[..., None] = progress or (lambda done, total=None: None)
    while True:
        try:
            message = pipe.recv()
        except (EOFError, ConnectionResetError) as exc:
            raise WorkerFailed("导入工作进程意外退出") from exc
        kind = message[0]
        if kind == "opened":
            tick(0, total=message[1])
        elif kind == "chunk":
            _, row_errors, built = message
            if row_errors:
                outcome.errors.extend(row_errors)
                importer.fail()
            if built is not None:
                importer.accept(built)
                if grants and (more := importer.grant()) is not None:
                    _tell(pipe, ("ids", more))
            if not stopped and importer.stopped:
                _tell(pipe, ("stop",))
                stopped = True
            chunks += 1
            _tell(pipe, ("written", chunks))
            tick(importer.written)
        elif kind == "done":
            outcome.total_rows, outcome.preview = message[1], message[2]
            return
        elif kind == "rejected":
            raise FileRejected(message[1])
        else:
            raise WorkerFailed(f"导入工作进程出错：\n{message[1]}")
