"""The plan of storing a letter, as plain data: no database, only what it was told was stored.

store/write.py reads a ``Stored`` and applies a ``Plan``; tests/test_store_write.py checks the
two together on a real database.
"""
from __future__ import annotations

import dataclasses
from datetime import date
from itertools import count

from conftest import (ECON_FILE, ECON_TEXT, EDU_FILE, GSL, JXJ, JYJ, POLICY_GUIDE, POLICY_SCHOOL, ZJJ, commitment,
                      econ_facts, edu_facts)
from ouhai_tracker.extract.model import DATE, PARTNER, Deadline, Department, PartnerRole, Policy
from ouhai_tracker.store.plan import (COMMITMENT_COLUMNS, EVENTS, Row, Stored, StoredCommitment, StoredDepartment,
                                      StoredLetter, StoredPartner, StoredPolicy, match_commitments, plan_letter)

TRAINING = "我局计划开展专精特新专题培训班"
PARTNERED = "同时联合区工商联等部门,继续实施“瓯商提升”工程"
WAITING = "待正式入选后制定相应的实施方案"
HOUSING = "住建局牵头在谋划制定企业人才购房的相关政策"
SURVEY = "每季度对规上企业进行人才密度调研"


def plan(facts, stored=Stored(), file=ECON_FILE):
    return plan_letter(facts, file, "/letters/" + file, "hash", stored)


def values(plan_, table: str, kind: str = "inserts") -> list[dict]:
    return [row.values for row in plan_.rows(table, kind)]


def events(plan_) -> list[tuple]:
    return [(e["commitment_id"], e["action"], e["field"], e["old_value"], e["new_value"], e["note"])
            for e in values(plan_, EVENTS)]


def stored_as_planned(first) -> Stored:
    """What applying ``first`` (a new letter's plan) stores, as the database would return it:
    each new row numbered from 1 in its table."""
    numbers: dict[str, count] = {}
    ids = {row: next(numbers.setdefault(row.table, count(1))) for row in first.inserts}

    def ref(value):
        return ids[value] if isinstance(value, Row) else value

    def links(table: str, key: str, target: str) -> dict[int, set[int]]:
        result: dict[int, set[int]] = {}
        for row in first.rows(table):
            result.setdefault(ref(row.values[key]), set()).add(ref(row.values[target]))
        return result

    names = {ids[row]: row.values["name"] for row in first.rows("departments")}
    partners = {}
    for row in first.rows("commitment_partners"):
        partners.setdefault(ids[row.values["commitment_id"]], []).append(
            StoredPartner(ids[row], ref(row.values["department_id"]), row.values["role"], row.values["cue"]))
    policies = links("commitment_policies", "commitment_id", "policy_id")
    commitments = tuple(
        StoredCommitment(ids[row], {key: ref(row.values[key]) for key in ("status", *COMMITMENT_COLUMNS)},
                         names.get(ref(row.values["owner_id"])), tuple(partners.get(ids[row], ())),
                         frozenset(policies.get(ids[row], ())))
        for row in first.rows("commitments"))
    letter_id = ids[first.letter]
    letter = StoredLetter(letter_id, commitments, frozenset(links("letter_policies", "letter_id", "policy_id")[letter_id]),
                          frozenset(links("letter_departments", "letter_id", "department_id")[letter_id]))
    return Stored(letter, departments={name: StoredDepartment(id_, name) for id_, name in names.items()},
                  taken=frozenset(a["alias"] for a in values(first, "department_aliases")),
                  policies={row.values["title"]: (StoredPolicy(ids[row], **row.values),)
                            for row in first.rows("policies")})


def with_commitment(stored: Stored, text: str, **changes) -> Stored:
    """``stored`` with the commitment ``text`` changed as a person or an earlier import left it."""
    edited = changes.pop("edited", frozenset())
    commitments = tuple(
        dataclasses.replace(c, columns={**c.columns, **changes}, edited=edited) if c.text == text else c
        for c in stored.letter.commitments)
    return dataclasses.replace(stored, letter=dataclasses.replace(stored.letter, commitments=commitments))


def test_a_new_letter_is_rows_to_insert_that_refer_to_each_other():
    p = plan(econ_facts())
    assert p.updates == [] and p.deletes == [] and p.letter.id is None
    departments = p.rows("departments")
    assert [d.values["name"] for d in departments] == [JXJ.name, GSL.name, ZJJ.name]  # replying unit first
    jxj, gsl, zjj = departments
    aliases = {(a["department_id"].values["name"], a["alias"]) for a in values(p, "department_aliases")}
    assert aliases == {(d.name, form) for d in (JXJ, GSL, ZJJ) for form in (d.short, *d.aliases)}
    commitments = values(p, "commitments")
    assert [c["text"] for c in commitments] == [c.text for c in econ_facts().commitments]
    assert all(c["letter_id"] is p.letter and c["status"] == "open" for c in commitments)
    assert [c["owner_id"] for c in commitments] == [jxj] * 4 + [zjj, jxj]
    [partner] = values(p, "commitment_partners")
    assert partner["department_id"] is gsl and (partner["role"], partner["cue"]) == (PARTNER, "联合")
    [guide] = p.rows("policies")
    assert values(p, "commitment_policies") == [{"commitment_id": p.rows("commitments")[3], "policy_id": guide}]
    assert values(p, "letter_policies") == [{"letter_id": p.letter, "policy_id": guide}]
    assert [d["department_id"] for d in values(p, "letter_departments")] == [jxj, gsl, zjj]
    assert events(p) == [(row, "imported", None, None, None, f"from {ECON_FILE}") for row in p.rows("commitments")]
    outcome = p.outcome
    assert (outcome.status, outcome.commitments, outcome.policies, outcome.departments, outcome.added) == (
        "added", 6, 1, 3, 6)


def test_what_is_stored_is_referred_to_by_id():
    """Stored departments and policies are not made again; a person's alias maps a name; an alias
    another department holds is not given; an empty place, functions or number is filled."""
    zjj_by_hand = StoredDepartment(9, "区规划和建设局")
    stored = Stored(departments={JXJ.name: StoredDepartment(4, JXJ.name)},
                    taken=frozenset({"经信局", "区住建局"}), user_aliases={"区住建局": zjj_by_hand},
                    policies={POLICY_GUIDE: (StoredPolicy(7, POLICY_GUIDE),)})
    facts = econ_facts()
    facts.policies = [Policy(POLICY_GUIDE, "瓯人社〔2023〕1号", "区人力社保局", 2023, 0, 1)]
    facts.mentions[0] = dataclasses.replace(facts.mentions[0], department=dataclasses.replace(
        GSL, place="温州市瓯海区", functions=("工商联",)))
    p = plan(facts, stored)
    assert [d["name"] for d in values(p, "departments")] == [GSL.name]  # only the one nobody stored
    assert [c["owner_id"] for c in values(p, "commitments")] == [4] * 4 + [9, 4]  # 住建局 is 区规划和建设局 by hand
    aliases = {(a["department_id"] if isinstance(a["department_id"], int) else a["department_id"].values["name"],
                a["alias"]) for a in values(p, "department_aliases")}
    assert (4, "经信局") not in aliases and (9, "区住建局") not in aliases and (4, "区经信局") in aliases
    assert (9, "住建局") in aliases  # a form of the name that nobody holds yet
    assert values(p, "policies") == [] and values(p, "policies", "updates") == [
        {"doc_number": "瓯人社〔2023〕1号", "issuer": "区人力社保局", "year": 2023}]
    assert p.rows("policies", "updates")[0].id == 7
    assert values(p, "commitment_policies")[0]["policy_id"] == 7

    # A stored department without functions (a person made it) gets them from the letter.
    bare = Stored(departments={GSL.name: StoredDepartment(5, GSL.name)})
    [update] = plan(facts, bare).rows("departments", "updates")
    assert (update.id, update.values) == (5, {"place": "温州市瓯海区", "functions": " 工商联 "})


def test_the_same_title_under_another_number_is_another_policy():
    stored = Stored(policies={POLICY_SCHOOL: (StoredPolicy(3, POLICY_SCHOOL, "瓯教〔2022〕5号", None, 2022),)})
    facts = edu_facts()
    facts.policies = [Policy(POLICY_SCHOOL, "瓯教〔2023〕9号", None, 2023, 0, 1)]
    p = plan(facts, stored, EDU_FILE)
    assert values(p, "policies") == [{"title": POLICY_SCHOOL, "doc_number": "瓯教〔2023〕9号", "issuer": None,
                                      "year": 2023}]
    assert values(p, "commitment_policies")[0]["policy_id"] == 3  # a bare mention takes the first stored


def test_the_same_letter_again_changes_no_commitment():
    stored = stored_as_planned(plan(econ_facts()))
    p = plan(econ_facts(), stored)
    assert p.inserts == [] and p.deletes == [] and p.updates == [p.letter] and p.letter.id == 1
    assert (p.outcome.status, p.outcome.unchanged, p.outcome.updated) == ("updated", 6, 0)


def test_a_corrected_letter_keeps_rows_and_says_what_changed():
    stored = stored_as_planned(plan(econ_facts()))
    ids = {c.text: c.id for c in stored.letter.commitments}
    stored = with_commitment(stored, SURVEY, status="done")  # a dropped promise that was kept stays done
    stored = with_commitment(stored, WAITING, status="withdrawn")  # back in the letter: restored
    text = ECON_TEXT.replace(TRAINING, TRAINING + "和数字化研修班").replace(SURVEY + "。", "")
    facts = econ_facts(text)
    facts.commitments[0] = commitment(text, TRAINING + "和数字化研修班", JXJ,
                                      Deadline(DATE, date(2024, 3, 31), False, "3月底前"), section="一、搭建数字化人才体系")
    facts.commitments[4].owner = GSL
    # The same partner in another role (no change a reader follows), and one more (a change).
    facts.commitments[1].partners = [PartnerRole(GSL, "lead", "牵头"), PartnerRole(ZJJ, PARTNER, "配合")]
    p = plan(facts, stored)

    note = f"re-imported from {ECON_FILE}"
    assert events(p) == [
        (ids[TRAINING], "updated", "text", TRAINING, TRAINING + "和数字化研修班", note),
        (ids[TRAINING], "updated", "due", "2024-06-16", "2024-03-31", note),
        (ids[PARTNERED], "updated", None, None, None, note),  # a partner more
        (ids[WAITING], "restored", "status", "withdrawn", "open", f"back in {ECON_FILE} after re-import"),
        (ids[HOUSING], "updated", "owner", ZJJ.name, GSL.name, note),
        (ids[SURVEY], "noted", None, None, None, f"no longer in {ECON_FILE} after re-import")]
    assert p.rows("commitments") == [] and p.deletes == []  # every promise found its row
    [partner] = p.rows("commitment_partners", "updates")  # the partner keeps its row
    assert (partner.id, partner.values) == (1, {"role": "lead", "cue": "牵头"})
    assert values(p, "commitment_partners") == [{"commitment_id": ids[PARTNERED], "department_id": 3,
                                                 "role": PARTNER, "cue": "配合"}]
    assert {row.id: row.values["status"] for row in p.rows("commitments", "updates")}[ids[WAITING]] == "open"
    assert ids[SURVEY] not in {row.id for row in p.rows("commitments", "updates")}  # done stays done
    outcome = p.outcome
    assert (outcome.added, outcome.updated, outcome.unchanged, outcome.withdrawn) == (0, 4, 1, 1)


def test_a_dropped_open_promise_is_withdrawn():
    stored = stored_as_planned(plan(econ_facts()))
    survey = next(c.id for c in stored.letter.commitments if c.text == SURVEY)
    p = plan(econ_facts(ECON_TEXT.replace(SURVEY + "。", "")), stored)
    assert events(p) == [(survey, "withdrawn", "status", "open", "withdrawn",
                          f"no longer in {ECON_FILE} after re-import")]
    assert [(row.id, row.values) for row in p.rows("commitments", "updates")
            if row.id == survey] == [(survey, {"status": "withdrawn"})]
    assert p.outcome.withdrawn == 1 and p.outcome.unchanged == 5


def test_what_a_person_set_by_hand_stays():
    stored = stored_as_planned(plan(econ_facts()))
    stored = with_commitment(stored, TRAINING, owner_id=2, owner_rule="", due=date(2025, 1, 1), due_inferred=False,
                             due_rule="set by hand", edited=frozenset({"owner", "due"}))
    facts = econ_facts(ECON_TEXT + "\n")
    facts.commitments[0] = dataclasses.replace(facts.commitments[0], owner=ZJJ,
                                               deadline=Deadline(DATE, date(2024, 1, 31), False, "1月底前"))
    p = plan(facts, stored)
    [row] = [row for row in p.rows("commitments", "updates") if row.values["text"] == TRAINING]
    assert (row.values["owner_id"], row.values["due"], row.values["due_rule"]) == (2, date(2025, 1, 1), "set by hand")
    assert row.values["due_kind"] == "date" and row.values["due_text"] == "1月底前"  # what the letter says is kept too
    assert [e for e in events(p) if e[0] == row.id] == [(row.id, "updated", None, None, None,
                                                         f"re-imported from {ECON_FILE}")]


def test_a_partner_named_twice_or_mapped_to_one_department_is_one_row():
    other_gsl = Department("区总商会", "区商会", "区")
    stored = Stored(user_aliases={"区总商会": StoredDepartment(3, GSL.name)},
                    departments={GSL.name: StoredDepartment(3, GSL.name)})
    facts = econ_facts()
    facts.commitments[1].partners += [PartnerRole(GSL, "lead", "会同"), PartnerRole(other_gsl, PARTNER, "配合")]
    partners = values(plan(facts, stored), "commitment_partners")
    assert [(p["department_id"], p["role"]) for p in partners] == [(3, PARTNER)]  # the first role the letter gives


def test_none_from_extraction_takes_the_column_default():
    facts = edu_facts()
    facts.commitments[1] = dataclasses.replace(
        facts.commitments[1], owner_rule=None, cue=None, confidence=None, partners=[PartnerRole(JXJ, "lead", None)],
        deadline=dataclasses.replace(facts.commitments[1].deadline, rule=None, inferred=None))
    p = plan(facts, file=EDU_FILE)
    row = values(p, "commitments")[1]
    assert (row["owner_rule"], row["cue"], row["confidence"], row["due_rule"], row["due_inferred"]) == (
        "", "", 0.5, "", False)
    assert values(p, "commitment_partners")[0]["cue"] == ""


def test_match_commitments_by_text_then_sentence_then_similarity():
    @dataclasses.dataclass
    class Stored_:
        text: str
        sentence: str
        start: int

    def found(text, sentence, start):
        return dataclasses.replace(commitment(ECON_TEXT, TRAINING, JYJ, Deadline("none", None, True)),
                                   text=text, sentence=sentence, start=start)

    rows = [Stored_("甲将做一", "句一", 0), Stored_("乙将做二", "句二", 10), Stored_("丙将建设三号工程项目", "句三", 20),
            Stored_("丁将做四", "句四", 30)]
    new = [found("乙将做二", "句二", 5),  # the same text, elsewhere
           found("甲将做一和更多", "句一", 0),  # cut differently in the same sentence
           found("丙将建设三号工程重点项目", "句三改", 20),  # reworded
           found("戊将做五", "句五", 40)]  # new
    pairs, gone = match_commitments(rows, new)
    assert [row for _, row in pairs] == [rows[1], rows[0], rows[2], None]
    assert gone == [rows[3]]
