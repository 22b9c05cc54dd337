"""Benchmarks: the tracker against Taskwarrior 2.6, whole-process wall time, in one run.

    python benchmarks/run.py            # 1k/10k letters imported; 1k/10k/~100k commitments; 1/4/16 MB letters
    python benchmarks/run.py --quick    # small sizes, a smoke test in about a minute

Databases: the letters of the largest import (benchmarks/generate.py, seeded) are imported
with `tracker import` (worker processes, one writer); the 1k and 10k commitment databases are
copies of it cut down to the first letters holding that many commitments (whole letters, so
the smaller ones are a prefix of the larger). Taskwarrior gets the same commitments as pending
tasks (project = owner department, due = due date) written to its own pending.data in a
private TASKDATA, with a private TASKRC. Each command runs ``--runs`` times after one warm-up;
the table shows medians and tracker / Taskwarrior ratios, and is written to results.json.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

AS_OF = "2025-06-30"  # the letters' dates end in 2024: a fixed "today" keeps runs comparable
DUE_BEFORE = "2030-12-31"
DEPT = "区民政局"  # a mid-sized department; Taskwarrior's project of the same name


EXTRACT = """
import sys, time
from ouhai_tracker.extract.model import Settings
from ouhai_tracker.extract.pipeline import run
text = open(sys.argv[1], encoding="utf-8").read()
started = time.perf_counter()
facts = run(text, "huge.txt", Settings(), {})
print(time.perf_counter() - started, len(facts.commitments))
"""


def timed_extraction(python: str, megabytes: int, work: Path) -> dict:
    """The extraction of one letter of ``megabytes`` MB (the generated letters' text run
    together), in a process of its own: the time grows in proportion to the size."""
    path = work / f"huge-{megabytes}.txt"
    parts, size = [], 0
    for _, text in generate.letters(10**6, seed=megabytes):
        parts.append(text)
        size += len(text.encode("utf-8"))
        if size >= megabytes * 1024 * 1024:
            break
    path.write_text("".join(parts), encoding="utf-8")
    seconds, commitments = subprocess.run([python, "-c", EXTRACT, str(path)], capture_output=True, text=True,
                                          check=True).stdout.split()
    return {"mb": megabytes, "seconds": round(float(seconds), 2), "commitments": int(commitments),
            "mb_per_s": round(size / 1024 / 1024 / float(seconds), 2)}


def median_time(argv: list[str], runs: int, env: dict, check: bool = True) -> float:
    times = []
    for i in range(runs + 1):  # the first is a warm-up
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=check)
        if i:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed_import(tracker: str, folder: Path, db: Path, env: dict) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([tracker, "--db", str(db), "import", str(folder)], env=env, stdout=subprocess.DEVNULL, check=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, the largest process so far
    letters = sum(1 for _ in folder.iterdir())
    size = sum(p.stat().st_size for p in folder.iterdir())
    return {"letters": letters, "seconds": round(seconds, 2), "letters_per_s": round(letters / seconds, 1),
            "mb_per_s": round(size / 1e6 / seconds, 2), "peak_rss_mb": round(max(peak, before) / 1024, 1)}


def cut_database(source: Path, target: Path, commitments: int) -> int:
    """A copy of ``source`` holding only its first letters, up to ``commitments`` commitments."""
    target.unlink(missing_ok=True)
    with sqlite3.connect(source) as connection:
        connection.execute("VACUUM INTO ?", (str(target),))
    with sqlite3.connect(target) as connection:
        connection.execute("PRAGMA foreign_keys=ON")
        last = connection.execute(
            "SELECT letter_id FROM (SELECT letter_id, SUM(COUNT(*)) OVER (ORDER BY letter_id) AS total "
            "FROM commitments GROUP BY letter_id) WHERE total >= ? ORDER BY letter_id LIMIT 1",
            (commitments,)).fetchone()
        if last:
            connection.execute("DELETE FROM letters WHERE id > ?", last)
        connection.execute("ANALYZE")
        return connection.execute("SELECT COUNT(*) FROM commitments").fetchone()[0]


def grow_database(db: Path, commitments: int) -> None:
    """Repeat the letters of ``db`` (renamed, new ids) until it holds ``commitments`` commitments:
    bulk SQL copies of imported rows, for sizes an import in this run would take too long to reach."""
    with sqlite3.connect(db) as connection:
        def copy(table: str, shift: dict, where: str, rename: str | None = None) -> None:
            columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})")]
            values = [f"{c} + {shift[c]}" if c in shift else (rename if c == "file" and rename else c) for c in columns]
            connection.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
                               f"FROM {table} WHERE {where}")
        base = {t: connection.execute(f"SELECT MAX(id) FROM {t}").fetchone()[0]
                for t in ("letters", "commitments", "commitment_partners", "events")}
        copies = 0
        while connection.execute("SELECT COUNT(*) FROM commitments").fetchone()[0] < commitments:
            copies += 1
            shift = {t: base[t] * copies for t in base}
            copy("letters", {"id": shift["letters"]}, f"id <= {base['letters']}", f"file || '~{copies}'")
            copy("commitments", {"id": shift["commitments"], "letter_id": shift["letters"]},
                 f"id <= {base['commitments']}")
            copy("commitment_partners", {"id": shift["commitment_partners"], "commitment_id": shift["commitments"]},
                 f"commitment_id <= {base['commitments']}")
            copy("commitment_policies", {"commitment_id": shift["commitments"]}, f"commitment_id <= {base['commitments']}")
            copy("events", {"id": shift["events"], "commitment_id": shift["commitments"]},
                 f"commitment_id <= {base['commitments']}")
        connection.execute("ANALYZE")


def ensure_taskwarrior() -> str:
    task = shutil.which("task")
    if task is None:
        print("installing Taskwarrior (apt-get install taskwarrior) ...", file=sys.stderr)
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "taskwarrior"], check=True)
        task = shutil.which("task")
    return task


def taskwarrior_data(db: Path, folder: Path) -> tuple[dict, int]:
    """A private TASKRC and TASKDATA with the open commitments of ``db`` as pending tasks."""
    data = folder / "data"
    data.mkdir(parents=True)
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nhooks=off\ngc=on\n"
                  "recurrence=off\nsearch.case.sensitive=yes\n", encoding="utf-8")
    entry = int(datetime(2024, 1, 1).timestamp())
    lines = []
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT c.text, c.due, d.name FROM commitments c LEFT JOIN departments d ON d.id = c.owner_id "
            "WHERE c.status = 'open' ORDER BY c.id")
        for text, due, owner in rows:
            fields = {"description": text.replace('"', "'"), "entry": str(entry), "modified": str(entry),
                      "project": owner or "无", "status": "pending", "uuid": str(uuid.uuid4())}
            if due:
                fields["due"] = str(int(datetime.fromisoformat(due).timestamp()))
            lines.append("[" + " ".join(f'{k}:"{v}"' for k, v in sorted(fields.items())) + "]")
    (data / "pending.data").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in ("completed.data", "undo.data", "backlog.data"):
        (data / name).touch()
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data)}
    return env, len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the tracker against Taskwarrior.")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-sizes", type=int, nargs="+", default=[1000, 10000], metavar="N",
                        help="letters to import, timed (the largest also feeds the commitment databases)")
    parser.add_argument("--tracker", default=str(HERE.parent / ".venv" / "bin" / "tracker"))
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    tracker = args.tracker if Path(args.tracker).exists() else shutil.which("tracker")
    python = str(Path(tracker).with_name("python"))
    # PYTHONDONTWRITEBYTECODE=1 on these machines: compile once, as an install does.
    package = subprocess.run([python, "-c", "import ouhai_tracker, os; print(os.path.dirname(ouhai_tracker.__file__))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([python, "-m", "compileall", "-q", package], check=True)
    task = ensure_taskwarrior()

    import_sizes = (50, 300) if args.quick else tuple(args.import_sizes)
    commitment_sizes = (300, 1000, 2500) if args.quick else (1000, 10000, 100000)
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("TRACKER_DB", None)
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                     "date": date.today().isoformat(), "quick": args.quick, "runs": args.runs, "dept": DEPT,
                     "import": [], "extraction": [], "sizes": []}
    try:
        letters_dir = work / "letters"
        generate.write(letters_dir, max(import_sizes))
        biggest = None
        for count in import_sizes:
            folder = work / f"letters-{count}"
            folder.mkdir()
            for path in sorted(letters_dir.iterdir())[:count]:
                os.link(path, folder / path.name)
            db = work / f"import-{count}.db"
            results["import"].append(timed_import(tracker, folder, db, env))
            print(f"imported {count} letters: {results['import'][-1]}", file=sys.stderr)
            biggest = db
        results["help_ms"] = round(1000 * median_time([tracker, "--help"], args.runs, env), 1)
        for megabytes in (1, 4) if args.quick else (1, 4, 16):
            results["extraction"].append(timed_extraction(python, megabytes, work))
            print(f"extracted one letter of {megabytes} MB: {results['extraction'][-1]}", file=sys.stderr)
        for size in commitment_sizes:
            db = work / f"c{size}.db"
            actual = cut_database(biggest, db, size)
            if actual < size:  # short of the size: repeat letters until it is reached
                grow_database(db, size)
                actual = cut_database(db, db.with_suffix(".cut.db"), size)
                db = db.with_suffix(".cut.db")
            base = [tracker, "--db", str(db)]
            row = {"commitments": actual}
            with sqlite3.connect(db) as connection:
                row["dept_rows"] = len(json.loads(subprocess.run(
                    base + ["list", "--dept", DEPT, "--json"], env=env, capture_output=True, check=True).stdout))
                open_ids = [r[0] for r in connection.execute(
                    "SELECT id FROM commitments WHERE status = 'open' AND due_kind != 'recurring' ORDER BY id "
                    "LIMIT ?", (args.runs + 1,))]
            row["due_ms"] = 1000 * median_time(base + ["due", "--dept", DEPT, "--as-of", AS_OF], args.runs, env)
            row["list_json_ms"] = 1000 * median_time(base + ["list", "--dept", DEPT, "--json"], args.runs, env)
            ids = iter(open_ids)
            times = []
            for run in range(args.runs + 1):
                start = time.perf_counter()
                subprocess.run(base + ["done", str(next(ids))], env=env, stdout=subprocess.PIPE, check=True)
                if run:
                    times.append(time.perf_counter() - start)
            row["done_ms"] = 1000 * statistics.median(times)

            tw_env, pending = taskwarrior_data(db, work / f"tw-{size}")
            row["tw_pending"] = pending
            row["tw_list_ms"] = 1000 * median_time(
                [task, f"project:{DEPT}", f"due.before:{DUE_BEFORE}", "list"], args.runs, tw_env, check=False)
            # With gc on, ids renumber after each command: task 1 is always another pending task.
            row["tw_done_ms"] = 1000 * median_time([task, "1", "done"], args.runs, tw_env, check=False)
            row = {k: round(v, 1) if isinstance(v, float) else v for k, v in row.items()}
            row["due_ratio"] = round(row["due_ms"] / row["tw_list_ms"], 2)
            row["list_ratio"] = round(row["list_json_ms"] / row["tw_list_ms"], 2)
            row["done_ratio"] = round(row["done_ms"] / row["tw_done_ms"], 2)
            results["sizes"].append(row)
            print(f"{size}: {row}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(results))


def table(results: dict) -> str:
    lines = [f"tracker vs Taskwarrior 2.6, median of {results['runs']} runs, {results['machine']['cpus']} CPUs, "
             f"--dept {results['dept']}" + (" (quick)" if results["quick"] else ""),
             "",
             "| commitments | rows for dept | `due --dept` ms | `list --dept --json` ms | `task … list` ms | "
             "due / task | list / task | `done` ms | `task done` ms | done / task |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results["sizes"]:
        lines.append(f"| {r['commitments']:,} | {r['dept_rows']} | {r['due_ms']} | {r['list_json_ms']} | "
                     f"{r['tw_list_ms']} | {r['due_ratio']} | {r['list_ratio']} | {r['done_ms']} | "
                     f"{r['tw_done_ms']} | {r['done_ratio']} |")
    lines += ["", f"`tracker --help`: {results['help_ms']} ms", "",
              "| letters imported | seconds | letters/s | MB/s | peak RSS (largest process) MB |",
              "|---:|---:|---:|---:|---:|"]
    for r in results["import"]:
        lines.append(f"| {r['letters']:,} | {r['seconds']} | {r['letters_per_s']} | {r['mb_per_s']} | "
                     f"{r['peak_rss_mb']} |")
    if results.get("extraction"):
        lines += ["", "| one letter of | extraction s | MB/s | commitments |", "|---:|---:|---:|---:|"]
        lines += [f"| {r['mb']} MB | {r['seconds']} | {r['mb_per_s']} | {r['commitments']:,} |"
                  for r in results["extraction"]]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
