"""Score the extraction directly (no database), with the shared scorer's own rules.

    python scripts/eval_extract.py ../shared/corpus/docs ../shared/corpus/gold [-v]

For fast iteration on rules; the real check is ../shared/eval/score.py on the CLI.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from ouhai_tracker.extract import extract_letter


def main() -> None:
    docs, gold_dir = Path(sys.argv[1]), Path(sys.argv[2])
    verbose = "-v" in sys.argv
    spec = importlib.util.spec_from_file_location("score", Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    totals: dict[str, int] = {}
    for gfile in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(gfile.read_text(encoding="utf-8"))
        facts = extract_letter((docs / gold["file"]).read_text(encoding="utf-8"), gold["file"])
        preds = [{"text": c.text, "owner": c.owner.name if c.owner else None,
                  "partners": [p.department.name for p in c.partners], "due_kind": c.deadline.kind,
                  "due": c.deadline.due.isoformat() if c.deadline.due else None} for c in facts.commitments]
        r = score.score_doc(gold, preds, [{"title": p.title, "doc_number": p.doc_number} for p in facts.policies], None)
        for k, v in r.items():
            if isinstance(v, int):
                totals[k] = totals.get(k, 0) + v
        print(f"{gold['file']:28} pred {r['pred']:3} tp {r['tp_pred']:3} req {r['found_req']}/{r['req']} "
              f"owner {r['owner_ok']}/{r['owner_n']} kind {r['kind_ok']}/{r['found_req']} due {r['due_ok']}/{r['due_n']} "
              f"partners {r['part_ok']}/{r['part_n']}")
        if verbose:
            for m in r["missed"]:
                print("    missed:", m)
            for f in r["fp"]:
                print("    fp:", f)
            gc = gold["commitments"]
            for g in gc:
                if not g.get("required", True):
                    continue
                hit = next((p for p in preds if any(score.norm(a) in score.norm(p["text"]) for a in score.anchors(g))), None)
                if hit is None:
                    continue
                bad = []
                if g["owner"] and not score.contains_any(hit["owner"], g["owner"]):
                    bad.append(f"owner {hit['owner']} want {g['owner'][0]}")
                if score.kind_class(hit["due_kind"]) != score.kind_class(g["kind"]):
                    bad.append(f"kind {hit['due_kind']} want {g['kind']}")
                if g["kind"] == "date" and g.get("due") and hit["due"] != g["due"]:
                    bad.append(f"due {hit['due']} want {g['due']}")
                for alts in g.get("partners", []):
                    if not any(score.contains_any(x, alts) for x in hit["partners"]):
                        bad.append(f"partner {alts[0]} missing (have {hit['partners']})")
                if bad:
                    print("    wrong:", g["anchor"], "|", "; ".join(bad))
    t = totals
    P = t["tp_pred"] / max(1, t["pred"])
    R = t["found_req"] / max(1, t["req"])
    F = 2 * P * R / max(1e-9, P + R)
    print(f"P {P:.2f} R {R:.2f} F1 {F:.2f} owner {t['owner_ok']/max(1,t['owner_n']):.2f} "
          f"kind {t['kind_ok']/max(1,t['found_req']):.2f} due {t['due_ok']/max(1,t['due_n']):.2f} "
          f"partners {t['part_ok']/max(1,t['part_n']):.2f}")


if __name__ == "__main__":
    main()
