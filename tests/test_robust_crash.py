"""Crash safety: an import killed with SIGKILL at random points (seeded), 20 times, leaves a
database that opens, passes PRAGMA integrity_check and holds whole letters only."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time

from conftest import TRACKER, clean_import_count, seed_letters, sqlite_only

KILLS = 20


@sqlite_only
def test_sigkill_during_import_leaves_whole_letters(tmp_path):
    rng = random.Random(20240616)
    letters = seed_letters(tmp_path / "letters", 40, rng)
    expected = {p.name: clean_import_count(p) for p in letters}
    db = tmp_path / "tracker.db"
    env = {**os.environ, "TRACKER_DB": str(db)}
    stored_before = 0
    for attempt in range(KILLS):
        if attempt % 7 == 0:  # now and then from a fresh file: kills during schema creation too
            for leftover in tmp_path.glob("tracker.db*"):
                leftover.unlink()
            stored_before = 0
        process = subprocess.Popen([*TRACKER, "import", str(tmp_path / "letters")], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
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

    # And the tracker itself opens what is left and finishes the job.
    finished = subprocess.run([*TRACKER, "import", str(tmp_path / "letters")], env=env, capture_output=True,
                              text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM letters").fetchone()[0] == len(letters)
    con.close()
