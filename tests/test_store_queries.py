"""Finding commitments, the recurring calendar, and naming the database."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ouhai_tracker.tracker import Tracker
from ouhai_tracker.errors import BadInput, DatabaseError, NotFound
from ouhai_tracker.store.engine import get_engine, resolve_url
from ouhai_tracker.periods import next_period_end


def texts(rows) -> list[str]:
    return [r["text"] for r in rows]


@pytest.mark.parametrize("dept", ["工商联", "区工商联", "工商业联合会", "区工商业联合会"])
def test_any_form_of_a_name_finds_owner_and_partner(imported, dept):
    found = Tracker(imported).find_commitments(dept=dept, status="all")
    assert texts(found) == ["同时联合区工商联等部门,继续实施“瓯商提升”工程"]


def test_short_form_matches_owner_and_partner_role(imported):
    found = texts(Tracker(imported).find_commitments(dept="经信局"))
    assert "区教育局将会同区经信局每年开展人才子女入学调研" in found  # as partner
    assert "我局计划开展专精特新专题培训班" in found  # as owner
    assert "住建局牵头在谋划制定企业人才购房的相关政策" not in found


def test_order_is_due_date_then_id_undated_last(imported):
    rows = Tracker(imported).find_commitments(status="all")
    dues = [r["due"] for r in rows]
    assert dues[-1] is None and dues[:-1] == sorted(dues[:-1])
    same_day = [r["id"] for r in rows if r["due"] == "2024-06-16"]
    assert same_day == sorted(same_day)


@pytest.mark.parametrize("filters, expected", [
    ({"kind": "conditional"}, ["待正式入选后制定相应的实施方案"]),
    # The recurring ones are judged by the end of their period containing the as-of day.
    ({"due_before": "2023-12-31", "as_of": "2023-07-01"}, ["住建局牵头在谋划制定企业人才购房的相关政策",
                                                          "每季度对规上企业进行人才密度调研"]),
    ({"due_before": "2023-12-31", "as_of": "2024-01-01"}, ["住建局牵头在谋划制定企业人才购房的相关政策"]),
    ({"due_after": "2024-12-31", "as_of": "2024-01-01"}, ["我局将修订《瓯海区专业技术人才奖补申报指南》",
                                                         "区教育局将会同区经信局每年开展人才子女入学调研"]),
    ({"overdue": True, "as_of": "2023-10-01"}, ["住建局牵头在谋划制定企业人才购房的相关政策"]),
    ({"search": "瓯商"}, ["同时联合区工商联等部门,继续实施“瓯商提升”工程"]),
    ({"doc": "edu", "kind": "recurring"}, ["区教育局将会同区经信局每年开展人才子女入学调研"]),
    ({"policy": "子女入学"}, ["我局将于2024年9月开学前完成积分入学办法修订[bold]x[/]"]),
    ({"search": "100%"}, []),  # LIKE wildcards are matched literally
])
def test_filters(imported, filters, expected):
    assert texts(Tracker(imported).find_commitments(**filters)) == expected


def test_status_filter(imported):
    Tracker(imported).mark_done([3])
    assert 3 not in [r["id"] for r in Tracker(imported).find_commitments()]
    assert [r["id"] for r in Tracker(imported).find_commitments(status="done")] == [3]


@pytest.mark.parametrize("due, period, expected", [
    (date(2024, 3, 31), "quarter", date(2024, 6, 30)),
    (date(2024, 12, 31), "quarter", date(2025, 3, 31)),
    (date(2024, 1, 31), "month", date(2024, 2, 29)),
    (date(2024, 6, 30), "half", date(2024, 12, 31)),
    (date(2024, 12, 31), "year", date(2025, 12, 31)),
    (date(2024, 12, 31), None, date(2025, 12, 31)),
    (date(2024, 5, 6), "week", date(2024, 5, 13)),
])
def test_next_period_end(due, period, expected):
    assert next_period_end(due, period) == expected


def test_unknown_ids_and_bad_values_are_user_errors(imported):
    with pytest.raises(NotFound):
        Tracker(imported).mark_done([1, 999])
    assert Tracker(imported).find_commitments(status="done") == []  # the batch did not half-happen
    with pytest.raises(BadInput):
        Tracker(imported).find_commitments(status="finished")
    with pytest.raises(BadInput):
        Tracker(imported).find_commitments(due_before="2024-02-30")
    with pytest.raises(BadInput):
        Tracker(imported).edit(1, owner="局")  # matches several departments


def test_plain_path_is_sqlite_and_schema_is_created(tmp_path):
    url = resolve_url(str(tmp_path / "a b?.db"))
    assert url.drivername == "sqlite" and url.database == str(tmp_path / "a b?.db")
    get_engine(url)
    assert Path(url.database).exists()


def test_env_var_is_used_when_no_option(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).database == str(tmp_path / "env.db")
    assert resolve_url(str(tmp_path / "opt.db")).database == str(tmp_path / "opt.db")


def test_default_lives_in_user_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = resolve_url(None)
    assert url.database.endswith("tracker.db") and Path(url.database).parent.is_dir()


@pytest.mark.parametrize("value", ["nosuchdialect://x", "sqlite:////no/such/dir/t.db"])
def test_bad_databases_raise_database_error(value):
    with pytest.raises(DatabaseError):
        get_engine(resolve_url(value))
