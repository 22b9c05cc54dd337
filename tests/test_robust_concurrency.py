"""Several staff on one database at once: 8 processes doing done / reopen / edit / import
together finish without errors, and every change is in the history."""
from __future__ import annotations

import json
import random
import shlex
import subprocess

import pytest

from conftest import TRACKER, clean_import_count, seed_letters

# Many tracker processes at once: selected out by -m 'not slow', run by .ci/run.
pytestmark = pytest.mark.slow


def tracker(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([*TRACKER, *args], capture_output=True, text=True, env=env, timeout=120)


def test_eight_processes_at_once(db, tmp_path, monkeypatch):
    import os

    env = {**os.environ, "TRACKER_DB": db}
    letters = seed_letters(tmp_path / "letters", 4, random.Random(8))
    first = tracker("import", str(letters[0]), env=env)
    assert first.returncode == 0, first.stderr
    ids = [c["id"] for c in json.loads(tracker("list", "--json", env=env).stdout) if c["due_kind"] != "recurring"]
    assert len(ids) >= 6

    # Workers 0-5 each change their own commitment three times; 6 and 7 import letters meanwhile.
    scripts = []
    for worker in range(6):
        cid = str(ids[worker])
        steps = [["done", cid, "--note", f"w{worker} done"], ["reopen", cid, "--note", f"w{worker} reopen"],
                 ["edit", cid, "--due", "2025-01-31", "--note", f"w{worker} edit"]]
        scripts.append(steps)
    scripts.append([["import", str(letters[1])], ["import", str(letters[2])]])
    scripts.append([["import", str(letters[3])], ["import", str(letters[0])]])  # the last one: unchanged
    command = shlex.join(TRACKER)
    workers = [subprocess.Popen(["sh", "-c", " && ".join(f"{command} {shlex.join(step)} >/dev/null" for step in steps)],
                                env=env, stderr=subprocess.PIPE, text=True) for steps in scripts]
    outcomes = [(w.wait(timeout=120), w.stderr.read()) for w in workers]
    assert outcomes == [(0, "")] * 8

    # One export holds the whole history.
    tables = json.loads(tracker("export", env=env).stdout)["tables"]
    commitments = {c["id"]: c for c in tables["commitments"]}
    for worker in range(6):
        history = [(e["action"], e["note"]) for e in tables["events"]
                   if e["commitment_id"] == ids[worker] and e["field"] != "outcome"]  # outcomes follow done/reopen
        assert history == [("imported", f"from {letters[0].name}"), ("done", f"w{worker} done"),
                           ("reopened", f"w{worker} reopen"), ("edited", f"w{worker} edit")]
        assert commitments[ids[worker]]["status"] == "open" and commitments[ids[worker]]["due"] == "2025-01-31"
    letter_ids = {letter["file"]: letter["id"] for letter in tables["letters"]}
    assert sorted(letter_ids) == sorted(p.name for p in letters)
    for path in letters:  # every letter whole
        stored = sum(c["letter_id"] == letter_ids[path.name] for c in commitments.values())
        assert stored == clean_import_count(path), path.name


def test_two_imports_of_one_folder_at_once_store_each_letter_once(db, tmp_path):
    """On PostgreSQL two importers of one folder stored 28 of 150 letters twice, and 3 failed on the
    policies' unique key: each letter is one row (a unique identity), taken by an upsert that
    waits for the other's and retries."""
    import os

    env = {**os.environ, "TRACKER_DB": db}
    letters = seed_letters(tmp_path / "letters", 60, random.Random(4))
    first = tracker("db", "upgrade", env=env)  # the schema made once, before the race
    assert first.returncode == 0, first.stderr
    importers = [subprocess.Popen([*TRACKER, "import", "--jobs", "1", str(tmp_path / "letters")], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in importers]
    for code, out, err in outcomes:
        assert (code, err) == (0, ""), out + err
    added = [out.count(", added\n") for _, out, _ in outcomes]
    assert sum(added) == 60, added  # each letter added by one of them, found unchanged by the other
    tables = json.loads(tracker("export", env=env).stdout)["tables"]
    assert sorted(letter["file"] for letter in tables["letters"]) == sorted(p.name for p in letters)
    commitments = [c["letter_id"] for c in tables["commitments"]]
    letter_ids = {letter["file"]: letter["id"] for letter in tables["letters"]}
    for path in letters:
        assert commitments.count(letter_ids[path.name]) == clean_import_count(path), path.name
    titles = [(p["title"], p["doc_number"]) for p in tables["policies"]]
    assert len(titles) == len(set(titles))
