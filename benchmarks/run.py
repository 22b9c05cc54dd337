"""Benchmarks: the tracker against Taskwarrior 2.6, whole-process wall time, in one run.

    python benchmarks/run.py            # 1k/10k letters imported; 1k/10k/~100k commitments; summaries at
                                        # ~20k commitments; 1/4/16 MB letters
    python benchmarks/run.py --quick    # small sizes, a smoke test in a few minutes

Databases: the letters of the largest import (benchmarks/generate.py, seeded) are imported
with `tracker import` (worker processes, one writer); the 1k and 10k commitment databases are
copies of it cut down to the first letters holding that many commitments (whole letters, so
the smaller ones are a prefix of the larger). Taskwarrior gets the same commitments as pending
tasks (project = owner department, due = due date) written to its own pending.data in a
private TASKDATA, with a private TASKRC; beside `due --dept 区民政局` it lists
`project.has:区民政局 due.before:2030-12-31` (the owner only: it knows no partners), and the
table gives both tools' row counts. The summaries (`stats`, `report --format html`,
`export --format csv`, `list` as a table) run on a cut of about 20,000 commitments, beside
Taskwarrior's nearest commands on the same commitments (`task summary`, `task export`, `task list`).

Against the noise of a shared machine, the commands measured together run in rounds: one
warm-up round, then ``--runs`` rounds each running every command once, so a burst of load falls
on all of them alike; each figure is the median of its runs (every run is kept in results.json,
with the load average before and after). The table shows medians, tracker / Taskwarrior ratios
and, on a full run, each target beside its measured figure.
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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

AS_OF = "2025-06-30"  # the letters' dates end in 2024: a fixed "today" keeps runs comparable
DEPT = "区民政局"  # a mid-sized department: every place's 区民政局
# Taskwarrior's nearest filter: project (the owner's full name, 桐川市西塘区民政局) containing DEPT.
# (`project:区民政局` would match no task: it matches the start of a project's name.)
TW_FILTER = [f"project.has:{DEPT}", "due.before:2030-12-31"]

# What the restructuring must reach, judged on a full run (the sizes of --quick are others).
SUMMARY_SIZE = 20000
SUMMARY_TARGET_MS = {"stats_ms": 1500, "report_html_ms": 1500, "export_csv_ms": 1500, "list_table_ms": 1000}
HELP_TARGET_MS = 100
DONE_RATIO_TARGET = 2.0  # at 10k
DUE_RATIO_TARGET = {10000: 1.0, 100000: 0.2}
DUE_TARGET_MS_100K = 300
IMPORT_TARGET_LETTERS_PER_S = 300
EVIDENCE_DOCUMENTS, EVIDENCE_COMMITMENTS = 1000, 100000
EVIDENCE_TARGET_S, EVIDENCE_ONE_TARGET_S = 60, 1.0
RSS_TARGET_MB_10K = 300


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
    return interleaved({"t": Command(lambda _: argv, env, check)}, runs)["t"]


@dataclass
class Command:
    argv: Callable[[int], list[str]]  # run number (0 is the warm-up) -> command line
    env: dict
    check: bool = True


def interleaved(commands: dict[str, Command], runs: int, raw: dict | None = None) -> dict[str, float]:
    """Median seconds of each command over ``runs`` rounds that run every command once, after one
    warm-up round. ``raw`` (name -> every run's ms, sorted) keeps the spread."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for run in range(runs + 1):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command.argv(run), env=command.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           check=command.check)
            if run:
                times[name].append(time.perf_counter() - start)
    if raw is not None:
        raw.update({name: sorted(round(1000 * t, 1) for t in ts) for name, ts in times.items()})
    return {name: statistics.median(ts) for name, ts in times.items()}


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
        def copy(table: str, shift: dict, where: str, rename: dict[str, str] | None = None) -> None:
            columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})")]
            values = [f"{c} + {shift[c]}" if c in shift else (rename or {}).get(c, c) for c in columns]
            connection.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
                               f"FROM {table} WHERE {where}")
        base = {t: connection.execute(f"SELECT MAX(id) FROM {t}").fetchone()[0]
                for t in ("letters", "commitments", "commitment_partners", "events")}
        copies = 0
        while connection.execute("SELECT COUNT(*) FROM commitments").fetchone()[0] < commitments:
            copies += 1
            shift = {t: base[t] * copies for t in base}
            # a copy is another letter: its file and its identity (unique) renamed
            copy("letters", {"id": shift["letters"]}, f"id <= {base['letters']}",
                 {"file": f"file || '~{copies}'", "identity": f"identity || '~{copies}'"})
            copy("commitments", {"id": shift["commitments"], "letter_id": shift["letters"]},
                 f"id <= {base['commitments']}")
            copy("commitment_partners", {"id": shift["commitment_partners"], "commitment_id": shift["commitments"]},
                 f"commitment_id <= {base['commitments']}")
            copy("commitment_policies", {"commitment_id": shift["commitments"]}, f"commitment_id <= {base['commitments']}")
            copy("events", {"id": shift["events"], "commitment_id": shift["commitments"]},
                 f"commitment_id <= {base['commitments']}")
        connection.execute("ANALYZE")


def time_evidence(tracker: str, biggest: Path, work: Path, env: dict, documents: int, commitments: int) -> dict:
    """`import --evidence` of ``documents`` later documents (work summaries, generate.py) into a
    database of ``commitments`` commitments, then of one more document into that database
    (median of three, each a new document): the linker's candidates come from an index, never
    from comparing every sentence with every commitment."""
    db, actual = database_of(biggest, work / f"evidence-{commitments}.db", commitments)
    later = work / "later"
    paths = generate.write_later(later, documents + 3)
    batch = work / "later-batch"
    batch.mkdir()
    for path in paths[:documents]:
        os.link(path, batch / path.name)
    def cpu() -> float:  # user and system time of the finished children: what the machine's load does not add
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    start, cpu_start = time.perf_counter(), cpu()
    done = subprocess.run([tracker, "--db", str(db), "import", "--evidence", str(batch)], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"import --evidence failed:\n{done.stderr[-3000:]}")
    out = done.stdout
    seconds, cpu_seconds = time.perf_counter() - start, cpu() - cpu_start
    links = int(out.strip().splitlines()[-1].rsplit(";", 1)[1].split()[0])
    one, one_cpu = [], []
    for path in paths[documents:]:
        start, cpu_start = time.perf_counter(), cpu()
        subprocess.run([tracker, "--db", str(db), "import", "--evidence", str(path)], env=env,
                       stdout=subprocess.DEVNULL, check=True)
        one.append(time.perf_counter() - start)
        one_cpu.append(cpu() - cpu_start)
    return {"documents": documents, "commitments": actual, "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu_seconds, 2), "links": links, "one_document_s": round(statistics.median(one), 3),
            "one_document_cpu_s": round(statistics.median(one_cpu), 3),
            "load_average": round(os.getloadavg()[0], 2)}


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


def database_of(biggest: Path, db: Path, size: int) -> tuple[Path, int]:
    """A database of at least ``size`` commitments cut from ``biggest`` (grown first if it is short)."""
    actual = cut_database(biggest, db, size)
    if actual < size:  # short of the size: repeat letters until it is reached
        grow_database(db, size)
        cut = db.with_suffix(".cut.db")
        actual = cut_database(db, cut, size)
        db = cut
    return db, actual


def time_sizes(tracker: str, task: str, db: Path, size: int, work: Path, runs: int, env: dict) -> dict:
    """`due --dept`, `list --dept --json` and `done` against Taskwarrior's filtered list and `done`."""
    base = [tracker, "--db", str(db)]
    row: dict = {"size": size}
    with sqlite3.connect(db) as connection:
        row["commitments"] = connection.execute("SELECT COUNT(*) FROM commitments").fetchone()[0]
        open_ids = [r[0] for r in connection.execute(
            "SELECT id FROM commitments WHERE status = 'open' AND due_kind != 'recurring' ORDER BY id "
            "LIMIT ?", (runs + 1,))]
    row["dept_rows"] = len(json.loads(subprocess.run(
        base + ["list", "--dept", DEPT, "--json"], env=env, capture_output=True, check=True).stdout))
    tw_env, row["tw_pending"] = taskwarrior_data(db, work / f"tw-{size}")
    row["tw_rows"] = int(subprocess.run([task, *TW_FILTER, "count"], env=tw_env, capture_output=True,
                                        check=True).stdout)
    raw: dict = {}
    medians = interleaved({
        "due_ms": Command(lambda _: base + ["due", "--dept", DEPT, "--as-of", AS_OF], env),
        "list_json_ms": Command(lambda _: base + ["list", "--dept", DEPT, "--json"], env),
        "tw_list_ms": Command(lambda _: [task, *TW_FILTER, "list"], tw_env, check=False),  # 1: no task matched
        "done_ms": Command(lambda run: base + ["done", str(open_ids[run])], env),
        # With gc on, ids renumber after each command: task 1 is always another pending task.
        "tw_done_ms": Command(lambda _: [task, "1", "done"], tw_env, check=False),
    }, runs, raw)
    row |= {name: round(1000 * seconds, 1) for name, seconds in medians.items()}
    row["due_ratio"] = round(row["due_ms"] / row["tw_list_ms"], 2)
    row["list_ratio"] = round(row["list_json_ms"] / row["tw_list_ms"], 2)
    row["done_ratio"] = round(row["done_ms"] / row["tw_done_ms"], 2)
    row["runs_ms"] = raw
    return row


def time_summaries(tracker: str, task: str, db: Path, size: int, work: Path, runs: int, env: dict) -> dict:
    """`stats`, `report --format html --output`, `export --format csv --output` and `list` as a
    table (stdout a pipe, 120 columns), beside `task summary`, `task export` and `task list`."""
    base = [tracker, "--db", str(db)]
    out = work / "summaries-out"
    out.mkdir()
    with sqlite3.connect(db) as connection:
        row: dict = {"size": size,
                     "commitments": connection.execute("SELECT COUNT(*) FROM commitments").fetchone()[0],
                     "letters": connection.execute("SELECT COUNT(*) FROM letters").fetchone()[0]}
    tw_env, row["tw_pending"] = taskwarrior_data(db, work / "tw-summaries")
    wide = {**env, "COLUMNS": "120"}
    # A tracker that prints other than a table into a pipe (and has --format) is asked for the table.
    list_help = subprocess.run(base + ["list", "--help"], env=env, capture_output=True, text=True).stdout
    list_table = base + ["list"] + (["--format", "table"] if "--format" in list_help else [])
    row["list_argv"] = list_table[len(base):]
    raw: dict = {}
    medians = interleaved({
        "stats_ms": Command(lambda _: base + ["stats", "--as-of", AS_OF], env),
        "report_html_ms": Command(lambda run: base + ["report", "--as-of", AS_OF, "--format", "html",
                                                      "--output", str(out / f"report-{run}.html")], env),
        "export_csv_ms": Command(lambda run: base + ["export", "--format", "csv", "--output", str(out / f"csv-{run}")],
                                 env),
        "list_table_ms": Command(lambda _: list_table, wide),
        "tw_summary_ms": Command(lambda _: [task, "summary"], tw_env),
        "tw_export_ms": Command(lambda _: [task, "export"], tw_env),
        "tw_list_all_ms": Command(lambda _: [task, "rc.defaultwidth=120", "list"], tw_env),
    }, runs, raw)
    row |= {name: round(1000 * seconds, 1) for name, seconds in medians.items()}
    row["runs_ms"] = raw
    shutil.rmtree(out, ignore_errors=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the tracker against Taskwarrior.")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-sizes", type=int, nargs="+", default=[1000, 10000], metavar="N",
                        help="letters to import, timed (the largest also feeds the commitment databases)")
    parser.add_argument("--tracker", default=str(HERE.parent / ".venv" / "bin" / "tracker"))
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--evidence-only", action="store_true",
                        help="only link later documents: import the letters, grow the database to 100,000 "
                             "commitments, time `import --evidence` (results are printed, not saved)")
    args = parser.parse_args()
    tracker = args.tracker if Path(args.tracker).exists() else shutil.which("tracker")
    python = str(Path(tracker).with_name("python"))
    # PYTHONDONTWRITEBYTECODE=1 on these machines: compile once, as an install does.
    package = subprocess.run([python, "-c", "import ouhai_tracker, os; print(os.path.dirname(ouhai_tracker.__file__))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([python, "-m", "compileall", "-q", package], check=True)
    if args.evidence_only:
        work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
        env = {**os.environ, "COLUMNS": "100"}
        env.pop("TRACKER_DB", None)
        try:
            count = min(args.import_sizes)
            generate.write(work / "letters", count)
            biggest = work / "letters.db"
            subprocess.run([tracker, "--db", str(biggest), "import", str(work / "letters")], env=env,
                           stdout=subprocess.DEVNULL, check=True)
            evidence = time_evidence(tracker, biggest, work, env, EVIDENCE_DOCUMENTS, EVIDENCE_COMMITMENTS)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print("\n".join(evidence_lines(evidence)))
        return
    task = ensure_taskwarrior()

    import_sizes = (50, 300) if args.quick else tuple(args.import_sizes)
    commitment_sizes = (300, 1000, 2500) if args.quick else (1000, 10000, 100000)
    summary_size = 2500 if args.quick else SUMMARY_SIZE
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("TRACKER_DB", None)
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                                 "load_before": [round(x, 2) for x in os.getloadavg()]},
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
            db, _ = database_of(biggest, work / f"c{size}.db", size)
            results["sizes"].append(time_sizes(tracker, task, db, size, work, args.runs, env))
            print(f"{size}: {results['sizes'][-1]}", file=sys.stderr)
        db, _ = database_of(biggest, work / f"summaries-{summary_size}.db", summary_size)
        results["summaries"] = time_summaries(tracker, task, db, summary_size, work, args.runs, env)
        print(f"summaries: {results['summaries']}", file=sys.stderr)
        results["evidence"] = time_evidence(tracker, biggest, work, env, 100 if args.quick else EVIDENCE_DOCUMENTS,
                                            2500 if args.quick else EVIDENCE_COMMITMENTS)
        print(f"evidence: {results['evidence']}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(results))


def targets(results: dict) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for each target a full run can judge."""
    checks = []
    summaries = results.get("summaries")
    if summaries:
        names = {"stats_ms": "`stats`", "report_html_ms": "`report --format html`",
                 "export_csv_ms": "`export --format csv`", "list_table_ms": "`list` (table)"}
        for key, limit in SUMMARY_TARGET_MS.items():
            checks.append((f"{names[key]} at {summaries['commitments']:,} commitments ≤ {limit} ms",
                           f"{summaries[key]} ms", summaries[key] <= limit))
    for row in results["sizes"]:
        size = row.get("size")
        if size == 10000:
            checks.append((f"`done` at {row['commitments']:,} ≤ {DONE_RATIO_TARGET}× `task done`",
                           f"{row['done_ratio']}×", row["done_ratio"] <= DONE_RATIO_TARGET))
        if size in DUE_RATIO_TARGET:
            limit = DUE_RATIO_TARGET[size]
            checks.append((f"`due --dept` at {row['commitments']:,} ≤ {limit}× Taskwarrior's filtered list",
                           f"{row['due_ratio']}×", row["due_ratio"] <= limit))
        if size == 100000:
            checks.append((f"`due --dept` at {row['commitments']:,} ≤ {DUE_TARGET_MS_100K} ms", f"{row['due_ms']} ms",
                           row["due_ms"] <= DUE_TARGET_MS_100K))
    evidence = results.get("evidence")
    if evidence:
        checks.append((f"linking {evidence['documents']:,} later documents against {evidence['commitments']:,} "
                       f"commitments ≤ {EVIDENCE_TARGET_S} s", f"{evidence['seconds']} s",
                       evidence["seconds"] <= EVIDENCE_TARGET_S))
        checks.append((f"`import --evidence` of one document at {evidence['commitments']:,} commitments "
                       f"≤ {EVIDENCE_ONE_TARGET_S} s", f"{evidence['one_document_s']} s",
                       evidence["one_document_s"] <= EVIDENCE_ONE_TARGET_S))
    checks.append((f"`tracker --help` ≤ {HELP_TARGET_MS} ms", f"{results['help_ms']} ms",
                   results["help_ms"] <= HELP_TARGET_MS))
    for row in results["import"]:
        checks.append((f"import of {row['letters']:,} letters ≥ {IMPORT_TARGET_LETTERS_PER_S} letters/s",
                       f"{row['letters_per_s']} letters/s", row["letters_per_s"] >= IMPORT_TARGET_LETTERS_PER_S))
        if row["letters"] >= 10000:
            checks.append((f"peak RSS importing {row['letters']:,} letters ≤ {RSS_TARGET_MB_10K} MB",
                           f"{row['peak_rss_mb']} MB", row["peak_rss_mb"] <= RSS_TARGET_MB_10K))
    return checks


def evidence_lines(evidence: dict) -> list[str]:
    return ["| later documents | commitments | `import --evidence` s (CPU s) | links proposed | "
            "one more document s (CPU s) | load average |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {evidence['documents']:,} | {evidence['commitments']:,} | {evidence['seconds']} "
            f"({evidence.get('cpu_seconds', '?')}) | {evidence['links']:,} | {evidence['one_document_s']} "
            f"({evidence.get('one_document_cpu_s', '?')}) | {evidence.get('load_average', '?')} |"]


def table(results: dict) -> str:
    machine = results["machine"]
    load = ""
    if "load_before" in machine:
        load = (f", load average {machine['load_before'][0]} before and "
                f"{machine.get('load_after', ['?'])[0]} after")
    lines = [f"tracker vs Taskwarrior 2.6, median of {results['runs']} runs, {machine['cpus']} CPUs{load}, "
             f"--dept {results['dept']}" + (" (quick)" if results["quick"] else ""),
             "",
             "| commitments | rows for dept | task rows | `due --dept` ms | `list --dept --json` ms | "
             "`task … list` ms | due / task | list / task | `done` ms | `task done` ms | done / task |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results["sizes"]:
        lines.append(f"| {r['commitments']:,} | {r['dept_rows']} | {r.get('tw_rows', '?')} | {r['due_ms']} | "
                     f"{r['list_json_ms']} | "
                     f"{r['tw_list_ms']} | {r['due_ratio']} | {r['list_ratio']} | {r['done_ms']} | "
                     f"{r['tw_done_ms']} | {r['done_ratio']} |")
    summaries = results.get("summaries")
    if summaries:
        lines += ["", f"Summaries on {summaries['commitments']:,} commitments ({summaries['letters']:,} letters; "
                      f"Taskwarrior: the {summaries['tw_pending']:,} open ones as pending tasks):", "",
                  "| tracker | ms | Taskwarrior | ms |", "|---|---:|---|---:|"]
        for tracker_command, key, task_command, task_key in (
                ("`stats`", "stats_ms", "`task summary`", "tw_summary_ms"),
                ("`report --format html --output …`", "report_html_ms", "", None),
                ("`export --format csv --output …`", "export_csv_ms", "`task export`", "tw_export_ms"),
                ("`list` (a table, piped, 120 columns)", "list_table_ms", "`task list`", "tw_list_all_ms")):
            lines.append(f"| {tracker_command} | {summaries[key]} | {task_command or '—'} | "
                         f"{summaries[task_key] if task_key else '—'} |")
    lines += ["", f"`tracker --help`: {results['help_ms']} ms", "",
              "| letters imported | seconds | letters/s | MB/s | peak RSS (largest process) MB |",
              "|---:|---:|---:|---:|---:|"]
    for r in results["import"]:
        lines.append(f"| {r['letters']:,} | {r['seconds']} | {r['letters_per_s']} | {r['mb_per_s']} | "
                     f"{r['peak_rss_mb']} |")
    if results.get("evidence"):
        lines += [""] + evidence_lines(results["evidence"])
    if results.get("extraction"):
        lines += ["", "| one letter of | extraction s | MB/s | commitments |", "|---:|---:|---:|---:|"]
        lines += [f"| {r['mb']} MB | {r['seconds']} | {r['mb_per_s']} | {r['commitments']:,} |"
                  for r in results["extraction"]]
    if results["quick"]:
        lines += ["", "Targets: judged on a full run only (--quick measures other sizes)."]
    else:
        checks = targets(results)
        lines += ["", f"Targets: {sum(ok for *_, ok in checks)} of {len(checks)} met", "",
                  "| target | measured | met |", "|---|---:|:---:|"]
        lines += [f"| {target} | {measured} | {'yes' if ok else 'no'} |" for target, measured, ok in checks]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
