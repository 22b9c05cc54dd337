"""Crash safety: an import killed with SIGKILL at random points (seeded), 20 times, leaves a
database that opens, passes PRAGMA integrity_check and holds whole letters only, and no
process of it behind; SIGTERM and SIGHUP leave none either."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time

import pytest

from conftest import TRACKER, clean_import_count, seed_letters, sqlite_only
from test_benchmarks_generate import generate

# Twenty-odd tracker processes started and killed: selected out by -m 'not slow', run by .ci/run.
pytestmark = pytest.mark.slow

KILLS = 20


def descendants(pid: int) -> set[int]:
    """The processes ``pid`` started, and theirs (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")  # a zombie has ended
    except OSError:
        return False


def survivors(pids: set[int], wait: float = 5.0) -> set[int]:
    """Those of ``pids`` still running after ``wait`` seconds (a dying process may take a moment)."""
    deadline = time.monotonic() + wait
    while True:
        left = {pid for pid in pids if running(pid)}
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


@sqlite_only
def test_sigkill_during_import_leaves_whole_letters(tmp_path):
    rng = random.Random(20240616)
    letters = seed_letters(tmp_path / "letters", 40, rng)
    expected = {p.name: clean_import_count(p) for p in letters}
    db = tmp_path / "tracker.db"
    env = {**os.environ, "TRACKER_DB": str(db)}
    stored_before = 0
    killed_with_workers = 0
    for attempt in range(KILLS):
        if attempt % 7 == 0:  # now and then from a fresh file: kills during schema creation too
            for leftover in tmp_path.glob("tracker.db*"):
                leftover.unlink()
            stored_before = 0
        process = subprocess.Popen([*TRACKER, "import", str(tmp_path / "letters")], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        delay = rng.uniform(0.2, 1.6)
        if stored_before == 0:  # a fresh file, a long import: kill it while its workers read letters
            deadline = time.monotonic() + 30
            while not descendants(process.pid) and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.01)
            delay = delay / 8  # 25-200 ms into the reading
        time.sleep(delay)
        workers = descendants(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed_with_workers += bool(workers)
        assert not survivors(workers), f"attempt {attempt}: processes outlived the killed import"
        if not db.exists():
            continue
        con = sqlite3.connect(db)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], attempt
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" not in tables:
                assert "letters" not in tables  # never half a schema
                continue
            counts = dict(con.execute("SELECT l.file, count(c.id) FROM letters l "
                                      "LEFT JOIN commitments c ON c.letter_id = l.id GROUP BY l.file"))
            events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        finally:
            con.close()
        assert all(counts[name] == expected[name] for name in counts), (attempt, counts)
        assert events == sum(counts.values())  # one 'imported' event per commitment, no orphans
        assert len(counts) >= stored_before  # nothing stored earlier was lost
        stored_before = len(counts)

    assert killed_with_workers >= 1, "no kill landed while workers were reading: the check above proved nothing"

    # And the tracker itself opens what is left and finishes the job.
    finished = subprocess.run([*TRACKER, "import", str(tmp_path / "letters")], env=env, capture_output=True,
                              text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM letters").fetchone()[0] == len(letters)
    con.close()


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP], ids=["KILL", "TERM", "HUP"])
def test_a_killed_import_leaves_no_process(tmp_path, signum):
    folder = generate.write(tmp_path / "letters", 400)[0].parent
    env = {**os.environ, "TRACKER_DB": str(tmp_path / "tracker.db")}
    # As at a terminal: a hang-up ends the process (under nohup, say, it would be ignored).
    process = subprocess.Popen([*TRACKER, "import", "--jobs", "2", str(folder)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 30
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
            workers = descendants(process.pid)
        assert len(workers) >= 2, "the import never started its workers"
        time.sleep(0.3)  # into the import proper: letters being read and stored
        workers |= descendants(process.pid)
        process.send_signal(signum)
        assert process.wait(timeout=30) == -signum
    finally:
        if process.poll() is None:
            process.kill()
    assert not survivors(workers), "worker processes outlived the import"
