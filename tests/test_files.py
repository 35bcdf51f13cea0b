"""pmo_lib.files: outputs are replaced only by complete files."""

from __future__ import annotations

import pytest

from pmo_lib.files import atomic_open, atomic_write_bytes


def test_failed_write_leaves_the_last_good_file_and_no_temporary(tmp_path):
    target = tmp_path / "report.csv"
    atomic_write_bytes(target, b"good")
    with pytest.raises(RuntimeError), atomic_open(target, "w") as fh:
        fh.write("half a rep")
        raise RuntimeError("the run failed")
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_successful_write_replaces_the_file(tmp_path):
    target = tmp_path / "report.csv"
    atomic_write_bytes(target, b"old")
    with atomic_open(target, "w", encoding="utf-8") as fh:
        fh.write("new £")
    assert target.read_text(encoding="utf-8") == "new £"


def test_atomic_folder_appears_whole_or_not_at_all(tmp_path):
    from pmo_lib.files import atomic_folder

    with atomic_folder(tmp_path / "out") as work:
        (work / "a.csv").write_text("x")
        assert not (tmp_path / "out").exists()  # nothing in place until the block ends
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a.csv"]
    with pytest.raises(RuntimeError), atomic_folder(tmp_path / "broken") as work:
        (work / "half.csv").write_text("x")
        raise RuntimeError("stopped half-way")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no folder, no hidden leftovers
