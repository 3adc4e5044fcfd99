"""The ledger's rules: content hashes, unchanged files, replacements, duplicates, missing files.

DESIGN.md: a file is identified by its content hash; landing the same file twice
changes nothing; replacing a file replaces exactly its rows in one transaction (a
crash mid-load leaves the previous state); rows read = rows loaded + rows
quarantined per file. builders.land checks that the ledger reconciles with the
tables after every landing.
"""

import os
import shutil

import duckdb
import pytest

from dagster_project.landing import loader

from .builders import (
    BACI_HEADER,
    assert_reconciled,
    comtrade_row,
    csv_text,
    kind_named,
    land,
    quarantine,
    results,
    rows,
    snapshot,
    write_baci,
    write_bytes,
    write_comtrade_bulk,
    write_comtrade_csv,
    write_text,
)

V1 = [[2023, 156, 392, "010121", 1.5, 2], [2023, 392, 842, "870323", 99, ""], [2023, 156, 392, "1234", 5, ""]]
V2 = [[2023, 156, 392, "010121", 2.5, 3], [2023, 410, 842, "854231", 7, 1]]


def statuses(report) -> dict[str, str]:
    return {f.path: f.status for f in report.files}


def flows(conn) -> list[tuple]:
    return rows(conn, "baci_flows", "_source_file, i, j, k, v")


def ledger(conn, path: str) -> list[tuple]:
    return conn.execute(
        "select status, rows_read, rows_loaded, rows_quarantined from raw._landing_ledger "
        "where path = ? order by event_id",
        [path],
    ).fetchall()


def test_landing_twice_changes_nothing(conn, raw_dir):
    write_baci(raw_dir / "baci" / "a.csv", V1)  # one row quarantined
    write_comtrade_csv(raw_dir / "comtrade" / "api.csv", [comtrade_row()], bom=True, newline="\r\n")
    write_comtrade_bulk(raw_dir / "comtrade" / "bulk.gz", [comtrade_row(reporterCode=392, partnerCode=156)])
    write_text(raw_dir / "baci" / "broken.csv", "nonsense\n")
    first = {**statuses(land(conn, "baci", raw_dir)), **statuses(land(conn, "comtrade", raw_dir))}
    assert first == {
        "baci/a.csv": "landed",
        "baci/broken.csv": "failed",
        "comtrade/api.csv": "landed",
        "comtrade/bulk.gz": "landed",
    }
    before = {kind: snapshot(conn, kind) for kind in ("baci", "comtrade")}

    second = {**statuses(land(conn, "baci", raw_dir)), **statuses(land(conn, "comtrade", raw_dir))}

    # A failed file is tried again (it may have been fixed), and fails again; nothing else happens.
    assert second == {**{path: "unchanged" for path in first}, "baci/broken.csv": "failed"}
    after = {kind: snapshot(conn, kind) for kind in ("baci", "comtrade")}
    for kind in before:
        for name in before[kind]:
            if name == "_landing_ledger":
                new = after[kind][name][len(before[kind][name]) :]
                assert after[kind][name][: len(before[kind][name])] == before[kind][name]
                assert [(e[1], e[10]) for e in new] == [("baci/broken.csv", "failed")]
            else:
                assert after[kind][name] == before[kind][name], name


def test_replaced_file_has_exactly_its_rows_replaced(conn, raw_dir):
    path = write_baci(raw_dir / "baci" / "a.csv", V1)
    write_baci(raw_dir / "baci" / "other.csv", [[2023, 842, 156, "010121", 4, 4]])
    land(conn, "baci", raw_dir)
    assert [line for _, line, _, _ in quarantine(conn, "baci/a.csv")] == [4]
    other_before = rows(conn, "baci_flows", "*", "_source_file = 'baci/other.csv'")

    write_baci(path, V2)  # the corrected version
    report = land(conn, "baci", raw_dir)

    assert statuses(report) == {"baci/a.csv": "landed", "baci/other.csv": "unchanged"}
    assert rows(conn, "baci_flows", "i, j, k, v, q, _line_number", "_source_file = 'baci/a.csv'") == [
        (156, 392, "010121", 2.5, 3.0, 2),
        (410, 842, "854231", 7.0, 1.0, 3),
    ]
    assert quarantine(conn, "baci/a.csv") == []  # the old version's bad row is gone
    assert rows(conn, "baci_flows", "*", "_source_file = 'baci/other.csv'") == other_before
    assert ledger(conn, "baci/a.csv") == [("landed", 3, 2, 1), ("landed", 2, 2, 0)]
    sha = conn.execute(
        "select sha256 from raw._landing_ledger where path = 'baci/a.csv' order by event_id desc limit 1"
    ).fetchone()[0]
    assert sha == loader.file_sha256(path)


def test_replacement_that_cannot_be_read_keeps_the_previous_rows(conn, raw_dir):
    path = write_comtrade_bulk(
        raw_dir / "comtrade" / "bulk.gz", [comtrade_row(), comtrade_row(cmdCode="0101")]
    )
    good = path.read_bytes()
    land(conn, "comtrade", raw_dir)
    before = rows(conn, "comtrade_flows")

    write_bytes(path, good[: len(good) // 2])  # a download cut short replaces it
    report = land(conn, "comtrade", raw_dir)

    assert statuses(report) == {"comtrade/bulk.gz": "failed"}
    assert "truncated or corrupt gzip data" in report.files[0].message
    assert rows(conn, "comtrade_flows") == before
    assert ledger(conn, "comtrade/bulk.gz") == [("landed", 2, 2, 0), ("failed", 0, 0, 0)]

    write_bytes(path, good)  # the complete download is back: nothing to do
    assert statuses(land(conn, "comtrade", raw_dir)) == {"comtrade/bulk.gz": "unchanged"}
    assert rows(conn, "comtrade_flows") == before


def test_crash_mid_load_leaves_the_previous_state(conn, raw_dir, monkeypatch):
    path = write_baci(raw_dir / "baci" / "a.csv", V1)
    land(conn, "baci", raw_dir)
    before = snapshot(conn, "baci")
    write_baci(path, V2)

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    # The rows are deleted and inserted, then recording the ledger event fails.
    monkeypatch.setattr(loader, "_record", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        loader.land_source(conn, kind_named("baci"), raw_dir)
    monkeypatch.undo()

    assert snapshot(conn, "baci") == before
    assert statuses(land(conn, "baci", raw_dir)) == {"baci/a.csv": "landed"}
    assert [r[0] for r in rows(conn, "baci_flows", "v")] == [2.5, 7.0]


def test_same_content_under_another_name_is_not_loaded_twice(conn, raw_dir):
    write_baci(raw_dir / "baci" / "a.csv", V1)
    land(conn, "baci", raw_dir)
    before = flows(conn)
    shutil.copyfile(raw_dir / "baci" / "a.csv", raw_dir / "baci" / "copy of a.csv")

    report = land(conn, "baci", raw_dir)

    assert statuses(report) == {"baci/a.csv": "unchanged", "baci/copy of a.csv": "duplicate"}
    assert results(report)["baci/copy of a.csv"].message == "same content as baci/a.csv; not loaded twice"
    assert flows(conn) == before
    assert quarantine(conn, "baci/copy of a.csv") == []
    assert statuses(land(conn, "baci", raw_dir)) == {
        "baci/a.csv": "unchanged",
        "baci/copy of a.csv": "unchanged",
    }


def test_same_content_under_two_names_in_one_run_is_loaded_once(conn, raw_dir):
    write_baci(raw_dir / "baci" / "a.csv", V1)
    shutil.copyfile(raw_dir / "baci" / "a.csv", raw_dir / "baci" / "b.csv")

    report = land(conn, "baci", raw_dir)

    assert statuses(report) == {"baci/a.csv": "landed", "baci/b.csv": "duplicate"}
    assert {r[0] for r in flows(conn)} == {"baci/a.csv"}
    assert len(flows(conn)) == 2


def test_duplicate_is_landed_when_its_twin_is_replaced(conn, raw_dir):
    """The duplicate's content is no longer held anywhere: it must be landed under its own name."""
    write_baci(raw_dir / "baci" / "b.csv", V1)
    land(conn, "baci", raw_dir)
    shutil.copyfile(raw_dir / "baci" / "b.csv", raw_dir / "baci" / "a.csv")  # sorts before its twin
    assert statuses(land(conn, "baci", raw_dir)) == {"baci/a.csv": "duplicate", "baci/b.csv": "unchanged"}

    write_baci(raw_dir / "baci" / "b.csv", V2)
    report = land(conn, "baci", raw_dir)

    assert statuses(report) == {"baci/a.csv": "landed", "baci/b.csv": "landed"}
    assert rows(conn, "baci_flows", "_source_file, k, v") == [
        ("baci/a.csv", "010121", 1.5),
        ("baci/a.csv", "870323", 99.0),
        ("baci/b.csv", "010121", 2.5),
        ("baci/b.csv", "854231", 7.0),
    ]


def test_old_version_kept_under_a_new_name_while_the_file_is_replaced(conn, raw_dir):
    """b.csv is replaced by a new version and its old version saved as a.csv, in one run."""
    write_baci(raw_dir / "baci" / "b.csv", V1)
    land(conn, "baci", raw_dir)
    shutil.copyfile(raw_dir / "baci" / "b.csv", raw_dir / "baci" / "a.csv")
    write_baci(raw_dir / "baci" / "b.csv", V2)

    report = land(conn, "baci", raw_dir)

    assert statuses(report) == {"baci/a.csv": "landed", "baci/b.csv": "landed"}
    assert [(r[0], r[3]) for r in flows(conn)] == [
        ("baci/a.csv", "010121"),
        ("baci/a.csv", "870323"),
        ("baci/b.csv", "010121"),
        ("baci/b.csv", "854231"),
    ]


def test_duplicate_is_landed_when_its_twin_disappears(conn, raw_dir):
    write_baci(raw_dir / "baci" / "a.csv", V1)
    shutil.copyfile(raw_dir / "baci" / "a.csv", raw_dir / "baci" / "b.csv")
    land(conn, "baci", raw_dir)
    (raw_dir / "baci" / "a.csv").unlink()

    report = land(conn, "baci", raw_dir, prune_missing=True)

    assert statuses(report) == {"baci/a.csv": "removed", "baci/b.csv": "landed"}
    assert {r[0] for r in flows(conn)} == {"baci/b.csv"}
    assert len(flows(conn)) == 2


def test_missing_file_keeps_its_rows_by_default(conn, raw_dir):
    write_baci(raw_dir / "baci" / "a.csv", V1)
    write_baci(raw_dir / "baci" / "b.csv", V2)
    land(conn, "baci", raw_dir)
    before = snapshot(conn, "baci")
    (raw_dir / "baci" / "a.csv").unlink()

    report = land(conn, "baci", raw_dir)

    assert statuses(report) == {"baci/a.csv": "missing", "baci/b.csv": "unchanged"}
    assert "rows kept" in results(report)["baci/a.csv"].message
    after = snapshot(conn, "baci")
    assert {k: v for k, v in after.items() if k != "_landing_ledger"} == {
        k: v for k, v in before.items() if k != "_landing_ledger"
    }
    assert ledger(conn, "baci/a.csv") == [("landed", 3, 2, 1), ("missing", 0, 0, 0)]

    # Reported again, recorded once.
    assert statuses(land(conn, "baci", raw_dir)) == {"baci/a.csv": "missing", "baci/b.csv": "unchanged"}
    assert ledger(conn, "baci/a.csv") == [("landed", 3, 2, 1), ("missing", 0, 0, 0)]


def test_missing_file_with_prune_missing_has_its_rows_removed(conn, raw_dir):
    write_baci(raw_dir / "baci" / "a.csv", V1)
    write_baci(raw_dir / "baci" / "b.csv", V2)
    land(conn, "baci", raw_dir)
    (raw_dir / "baci" / "a.csv").unlink()
    land(conn, "baci", raw_dir)  # missing first, then pruned

    report = land(conn, "baci", raw_dir, prune_missing=True)

    assert statuses(report) == {"baci/a.csv": "removed", "baci/b.csv": "unchanged"}
    assert {r[0] for r in flows(conn)} == {"baci/b.csv"}
    assert quarantine(conn, "baci/a.csv") == []
    assert ledger(conn, "baci/a.csv")[-1] == ("removed", 0, 0, 0)
    # Once removed, it is no longer reported.
    assert statuses(land(conn, "baci", raw_dir, prune_missing=True)) == {"baci/b.csv": "unchanged"}


def test_file_that_comes_back_is_landed_again(conn, raw_dir):
    path = write_baci(raw_dir / "baci" / "a.csv", V1)
    data = path.read_bytes()
    land(conn, "baci", raw_dir)
    before = flows(conn)
    path.unlink()
    land(conn, "baci", raw_dir, prune_missing=True)
    assert flows(conn) == []

    write_bytes(path, data)
    assert statuses(land(conn, "baci", raw_dir)) == {"baci/a.csv": "landed"}
    assert flows(conn) == before


def test_renamed_file_is_not_counted_twice(conn, raw_dir):
    """Renaming a file in the raw folder moves its rows to the new name (nothing lost, nothing doubled)."""
    write_baci(raw_dir / "baci" / "download (1).csv", V1)
    land(conn, "baci", raw_dir)
    (raw_dir / "baci" / "download (1).csv").rename(raw_dir / "baci" / "BACI_HS17_Y2023_V202401.csv")

    report = land(conn, "baci", raw_dir)

    assert statuses(report) == {
        "baci/BACI_HS17_Y2023_V202401.csv": "landed",
        "baci/download (1).csv": "removed",
    }
    assert "BACI_HS17_Y2023_V202401.csv" in results(report)["baci/download (1).csv"].message
    assert {r[0] for r in flows(conn)} == {"baci/BACI_HS17_Y2023_V202401.csv"}
    assert len(flows(conn)) == 2


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_file_changed_while_being_read_is_refused(conn, raw_dir, monkeypatch, newline):
    """Same size, same modification time, other bytes between the hash and the parse:
    the change time tells (any write moves it), and nothing of the file lands."""
    path = write_text(raw_dir / "baci" / "a.csv", csv_text(BACI_HEADER, V1, newline=newline))
    real_parse = loader.parse

    def rewrite_then_parse(*args, **kwargs):
        stat = path.stat()
        path.write_bytes(path.read_bytes().replace(b"2023,", b"2022,", 1))  # another process writing
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(loader, "parse", rewrite_then_parse)
    report = land(conn, "baci", raw_dir)
    assert statuses(report) == {"baci/a.csv": "failed"}
    assert report.files[0].message == "baci/a.csv: the file changed while it was being read; land it again"
    assert flows(conn) == []


def test_file_changed_after_being_read_lands_what_was_read_then_the_change(conn, raw_dir, monkeypatch):
    path = write_baci(raw_dir / "baci" / "a.csv", V1)
    first_sha = loader.file_sha256(path)
    real_judge = loader.judge

    def judge_then_append(*args, **kwargs):
        real_judge(*args, **kwargs)
        with path.open("a") as handle:  # the download finishes after the read
            handle.write("2023,156,392,010122,1,\n")

    monkeypatch.setattr(loader, "judge", judge_then_append)
    report = land(conn, "baci", raw_dir)
    assert statuses(report) == {"baci/a.csv": "landed"}
    assert conn.execute("select sha256 from raw._landing_ledger").fetchall() == [(first_sha,)]
    assert len(flows(conn)) == 2

    monkeypatch.undo()
    assert statuses(land(conn, "baci", raw_dir)) == {"baci/a.csv": "landed"}  # the new content
    assert len(flows(conn)) == 3
    assert_reconciled(conn, "baci")


def test_ledger_records_size_hash_format_and_counts(conn, raw_dir):
    path = write_baci(raw_dir / "baci" / "a.csv", V1)
    land(conn, "baci", raw_dir)
    row = conn.execute(
        "select path, source, size_bytes, sha256, format, raw_table, "
        "rows_read, rows_loaded, rows_quarantined, status from raw._landing_ledger"
    ).fetchall()
    size, sha = path.stat().st_size, loader.file_sha256(path)
    assert row == [("baci/a.csv", "baci", size, sha, "baci_flows_csv", "baci_flows", 3, 2, 1, "landed")]


def test_hidden_files_are_not_data(conn, raw_dir):
    write_text(raw_dir / "baci" / ".DS_Store", "\x00\x01binary")
    write_text(raw_dir / "baci" / ".ipynb_checkpoints" / "a.csv", "t,i,j,k,v,q\n")
    write_baci(raw_dir / "baci" / "a.csv", V2)
    assert statuses(land(conn, "baci", raw_dir)) == {"baci/a.csv": "landed"}


def test_each_landing_is_its_own_transaction_even_on_one_connection(conn, raw_dir):
    """A connection left in a transaction by a failed file would swallow the next file's commit."""
    write_text(raw_dir / "baci" / "a_bad.csv", "nonsense\n")
    write_baci(raw_dir / "baci" / "b_good.csv", V2)
    land(conn, "baci", raw_dir)
    conn.close()
    db = raw_dir.parent / "warehouse.duckdb"
    with duckdb.connect(str(db), read_only=True) as reader:
        assert reader.execute("select count(*) from raw.baci_flows").fetchone()[0] == 2
        assert reader.execute("select count(*) from raw._landing_ledger").fetchone()[0] == 2


def test_ledger_discrepancies_finds_rows_the_ledger_does_not_account_for(conn, raw_dir):
    """The function behind the ledger_reconciles asset check."""
    kind = kind_named("baci")
    table = next(t for t in kind.tables if t.name == "baci_flows")
    path = write_baci(raw_dir / "baci" / "a.csv", V1)
    land(conn, "baci", raw_dir)
    assert loader.ledger_discrepancies(conn, kind, table) == []

    path.unlink()
    land(conn, "baci", raw_dir)  # missing: its rows are kept, and still accounted for
    assert loader.ledger_discrepancies(conn, kind, table) == []

    conn.execute("delete from raw.baci_flows where _line_number = 2")
    conn.execute(
        "insert into raw.baci_flows select t, i, j, k, v, q, 'baci/stray.csv', 2 from raw.baci_flows"
    )
    assert loader.ledger_discrepancies(conn, kind, table) == [
        ("baci/a.csv", 3, 2, 1, 1, 1),
        ("baci/stray.csv", None, None, None, 1, 0),
    ]
