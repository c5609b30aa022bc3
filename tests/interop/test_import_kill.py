"""Killing an import halfway leaves nothing half-written (issue "Done when").

A real `yiyang import` process on its own SQLite database is killed with SIGKILL while it is
writing rows; afterwards no resident exists, the stale job is marked failed, and the same file
then imports completely (so nothing left behind blocks it as a duplicate).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROWS = 30_000  # the writes take a couple of seconds: time to kill them midway
HERE = Path(__file__).resolve().parent
YIYANG = Path(sys.executable).with_name("yiyang")

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="runs its own SQLite database; one run per CI pass is enough (the SQLite pass)",
)


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "YIYANG_TESTING")}
    env["YIYANG_DATA_DIR"] = str(data_dir)
    return env


def _status(db: Path) -> str | None:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute("SELECT status FROM interop_importjob ORDER BY id DESC").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def test_sigkill_during_the_writes_leaves_no_resident_and_the_file_imports_later(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    setup = subprocess.run(
        [sys.executable, str(HERE / "kill_scenario.py"), "setup", str(tmp_path), str(ROWS)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    code, workbook = setup.stdout.split()[-2:]
    db = tmp_path / "yiyang.sqlite3"
    command = [str(YIYANG), "import", "residents", workbook, "--home", code]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while _status(db) != "importing":
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the import never reached the writing phase"
        time.sleep(0.05)
    time.sleep(0.5)  # well into the writes (a chunk of 2,000 rows takes ~0.15 s)
    assert proc.poll() is None, "the import finished before it could be killed: raise ROWS"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    assert _count(db, "residents_person") == 0
    assert _count(db, "residents_stay") == 0
    assert _status(db) == "importing"  # until the stale-job sweep notices

    expired, persons, status = subprocess.run(
        [sys.executable, str(HERE / "kill_scenario.py"), "expire", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()[-3:]
    assert (expired, persons, status) == ("1", "0", "failed")

    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _count(db, "residents_person") == ROWS
    assert _count(db, "residents_stay") == ROWS
