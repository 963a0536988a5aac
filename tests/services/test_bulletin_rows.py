"""A bulletin's rows answer as the entries do: the same entries, risks and closures, in the
same order, with the stored tags and times."""

from __future__ import annotations

from datetime import timedelta

from bot.services import Services
from storage import progress, progress_reads, projects
from storage.db import transaction, utc_iso
from storage.progress_reads import as_row


def _logged(svc: Services) -> list[progress.Entry]:
    now = svc.clock.now()
    with transaction(svc.db):
        for code in ("P-1", "p-2"):
            projects.add_project(
                svc.db,
                code=code,
                name="Pilot",
                category="tech",
                lead="Lead",
                batch="",
                region="",
                now=now,
                by_user=1,
            )
        texts = [
            ("P-1", "TECH", "#risk low latency <x>"),
            ("p-2", None, "#风险 高 对接"),
            ("P-1", "BJ", "#milestone #major done"),
            ("p-2", "TECH", "#risk high outage"),
            ("P-1", "TECH", "#整改 关闭 #2"),
        ]
        found = [
            progress.add_entry(
                svc.db,
                project_code=code,
                author_id=1,
                author_unit=unit,
                text=text,
                now=now + timedelta(minutes=k),
            )
            for k, (code, unit, text) in enumerate(texts)
        ]
        progress.close_risks(svc.db, found[4].id, [found[1].id])
        progress.withdraw_entry(svc.db, found[2], 1, now)
    return found


def test_entry_rows_are_the_live_entries_as_stored(svc: Services) -> None:
    found = _logged(svc)
    rows = progress_reads.entry_rows_after(svc.db, found[0].id)
    assert rows == [as_row(e) for e in progress_reads.entries_after(svc.db, found[0].id)]
    assert [r[0] for r in rows] == [found[1].id, found[3].id, found[4].id]  # withdrawn: gone
    assert rows[0] == (found[1].id, "p-2", None, "#风险 高 对接", " risk ", rows[0][5], 1)
    assert rows[0][5] == utc_iso(found[1].created_at)


def test_open_risk_rows_are_the_open_risks_in_order(svc: Services) -> None:
    _logged(svc)
    risks = progress_reads.open_risks(svc.db)
    rows = progress_reads.open_risk_rows(svc.db, 200)
    assert rows == [
        (e.id, e.project_code, e.text, utc_iso(e.created_at), e.severity, 1) for e in risks
    ]
    assert [r[4] for r in rows] == ["high", "low"]  # high first


def test_closures_read_as_tuples_carry_both_entries(svc: Services) -> None:
    found = _logged(svc)
    [(risk, fix)] = progress_reads.closures_after(svc.db, 0)
    assert risk == progress.get_entry(svc.db, found[1].id)
    assert fix == progress.get_entry(svc.db, found[4].id)
    assert progress_reads.closures_after(svc.db, found[4].id) == []


def test_a_stored_line_is_read_in_place_of_the_text_until_an_edit_without_one(
    svc: Services,
) -> None:
    found = _logged(svc)
    now = svc.clock.now()
    with transaction(svc.db):
        stored = progress.add_entry(
            svc.db,
            project_code="P-1",
            author_id=1,
            author_unit="TECH",
            text="#risk <b>" + "长" * 40,
            now=now,
            line_html="&lt;b&gt; LINE",
        )
    (row,) = progress_reads.entry_rows_after(svc.db, found[-1].id)
    assert (row[3], row[6]) == ("&lt;b&gt; LINE", 0)
    assert len(stored.text) == 49
    risks = {r[0]: r for r in progress_reads.open_risk_rows(svc.db, 49)}
    assert risks[stored.id][2::3] == ("&lt;b&gt; LINE", 0)  # within the clip: the line
    risks = {r[0]: r for r in progress_reads.open_risk_rows(svc.db, 48)}
    assert risks[stored.id][2::3] == (stored.text, 1)  # longer than the clip: the text
    with transaction(svc.db):
        progress.edit_entry(svc.db, stored, "#risk edited", 1, now)  # no line given
    (row,) = progress_reads.entry_rows_after(svc.db, found[-1].id)
    assert (row[3], row[6]) == ("#risk edited", 1)  # never the stale line
