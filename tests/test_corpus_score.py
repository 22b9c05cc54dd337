"""The shared scorer on the seed, the development corpus and real letters, when ../shared is beside the
checkout (skipped otherwise)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score.py"


def _tracker() -> str:
    exe = shutil.which("tracker", path=str(Path(sys.executable).parent)) or shutil.which("tracker")
    if exe is None:
        pytest.skip("the tracker command is not installed")
    return exe


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval is not beside this checkout")
@pytest.mark.parametrize(("docs", "gold", "floors"), [
    (ROOT / "seeds", SHARED / "gold", {"f1": 1.0, "owner": 1.0, "kind": 1.0, "partners": 1.0,
                                       "policy_recall": 1.0, "policy_precision": 1.0, "doc_number": 1.0,
                                       "metadata": 1.0}),
    (SHARED / "corpus" / "docs", SHARED / "corpus" / "gold",
     {"f1": 1.0, "owner": 1.0, "kind": 1.0, "due": 1.0, "partners": 1.0, "policy_recall": 1.0,
      "policy_precision": 1.0, "metadata": 1.0}),
    # Real published letters (all of them): page furniture, cut-off text, 协办 letters, townships.
    # The floors are what the rules reach today, a little below, so that a change that loses
    # ground fails; they are not the targets (F1, owner, kind 0.95; partners 0.80). Some dated
    # promises' letters state no date at all (their due dates cannot be read from the text).
    (SHARED / "realdev" / "docs", SHARED / "realdev" / "gold",
     {"f1": 0.96, "owner": 0.94, "owner_sure": 0.96, "kind": 0.96, "due": 0.95, "partners": 0.88,
      "metadata": 0.97}),
])
def test_scores_hold(tmp_path, docs, gold, floors):
    if not docs.exists() or not gold.exists():
        pytest.skip(f"{docs} or {gold} missing")
    out = tmp_path / "figures.json"
    # The scorer checks the contacts read from each letter: `docs` prints them only when asked.
    env = {**{k: v for k, v in os.environ.items() if k != "TRACKER_DB"}, "TRACKER_WITH_CONTACTS": "1"}
    proc = subprocess.run([sys.executable, str(SCORER), "--tracker", _tracker(), "--docs", str(docs),
                           "--gold", str(gold), "--json-out", str(out)], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(out.read_text())
    low = {k: figures[k] for k, floor in floors.items() if figures[k] is None or figures[k] < floor}
    assert not low, proc.stdout
    # Owners flagged for review (owner?) are guesses a person checks: at most a fifth of them.
    assert (figures.get("owner_flagged") or 0) <= 0.2, proc.stdout


LINK_SCORER = SHARED / "eval" / "score_links.py"
FOLLOWTHROUGH = SHARED / "followthrough"


@pytest.mark.skipif(not (LINK_SCORER.exists() and FOLLOWTHROUGH.exists()),
                    reason="../shared/eval/score_links.py or ../shared/followthrough is not beside this checkout")
def test_links_hold(tmp_path):
    """Later documents linked to the promises of the seed letter and the corpus: each figure at
    least 0.9, no distractor sentence linked, every promise made again found."""
    out = tmp_path / "links.json"
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB"}
    proc = subprocess.run([sys.executable, str(LINK_SCORER), "--tracker", _tracker(),
                           "--earlier", str(ROOT / "seeds"), str(SHARED / "corpus" / "docs"),
                           "--earlier-gold", str(SHARED / "gold"), str(SHARED / "corpus" / "gold"),
                           "--later", str(FOLLOWTHROUGH / "docs"), "--gold", str(FOLLOWTHROUGH / "gold.json"),
                           "--json-out", str(out), "-v"], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(out.read_text())
    assert all(figures[k] >= 0.9 for k in ("recall", "precision", "outcome")), proc.stdout
    assert figures["repeated"] == 1.0 and figures["distractor_hits"] == 0, proc.stdout
