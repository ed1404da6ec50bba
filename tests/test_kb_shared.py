"""How `citybot.kb.shared` notices a saved file: the signature it compares, and how soon (issue 15).

The reload itself (a valid save picked up, a broken one keeping the previous knowledge base and
logged once) is tested in tests/test_faults.py; here, what the cheap check on the request path
sees and that its interval fits the hot-reload target of 1 s.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from citybot.kb import shared

ROOT = Path(__file__).resolve().parents[1]
HOT_RELOAD_TARGET_S = 1.0


def _rglob_signature(folder: Path) -> shared.Signature:
    """The check as it was written before (pathlib), to compare the faster walk with."""
    files = [
        (str(p), p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(folder.rglob("*"))
        if p.suffix in (".yml", ".yaml") and p.is_file()
    ]
    return (str(folder), tuple(files))


def test_the_walk_sees_the_same_files_as_pathlib():
    knowledge = ROOT / "knowledge"
    assert shared._signature(knowledge) == _rglob_signature(knowledge)


def test_only_yaml_files_count_in_every_subfolder(tmp_path):
    (tmp_path / "cities" / "deeper").mkdir(parents=True)
    for name in (
        "topics.yml",
        "cities/a.yaml",
        "cities/deeper/b.yml",
        "cities/notes.txt",
        "cities/.a.yml.swp",
    ):
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    listed = [Path(path).relative_to(tmp_path).as_posix() for path, _, _ in shared._signature(tmp_path)[1]]
    assert listed == ["cities/a.yaml", "cities/deeper/b.yml", "topics.yml"]


def test_a_save_changes_the_signature(tmp_path):
    city = tmp_path / "cities" / "a.yml"
    city.parent.mkdir()
    city.write_text("x: 1\n", encoding="utf-8")
    before = shared._signature(tmp_path)
    city.write_text("x: 2\n", encoding="utf-8")  # same size: the modification time tells
    stat = city.stat()
    os.utime(city, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert shared._signature(tmp_path) != before


def test_a_link_back_to_a_parent_folder_is_not_followed(tmp_path):
    (tmp_path / "cities").mkdir()
    (tmp_path / "cities" / "a.yml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "cities" / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert len(shared._signature(tmp_path)[1]) == 1


def test_a_missing_folder_has_no_files(tmp_path):
    assert shared._signature(tmp_path / "nowhere") == (str(tmp_path / "nowhere"), ())


def test_the_recheck_interval_leaves_room_for_the_reload_within_the_target():
    assert shared.RECHECK_SECONDS <= HOT_RELOAD_TARGET_S / 2


def test_a_save_is_served_after_the_default_interval(kb_copy, monkeypatch):
    monkeypatch.setattr(shared, "_state", None)
    folder = kb_copy()
    first = shared.shared_knowledge_base(folder)
    city = folder / "cities" / "chefchaouen.yml"
    city.write_text(city.read_text(encoding="utf-8") + "# saved\n", encoding="utf-8")
    assert shared.shared_knowledge_base(folder) is first  # within the interval: not looked at
    time.sleep(shared.RECHECK_SECONDS + 0.05)
    assert shared.shared_knowledge_base(folder) is not first


def test_one_check_of_a_thousand_city_folder_is_cheap(tmp_path):
    """About 2 ms on an idle core for 1081 files (1000 cities); the best of three under 50 ms
    leaves room for a loaded machine."""
    (tmp_path / "cities").mkdir()
    for number in range(1081):
        (tmp_path / "cities" / f"c{number}.yml").write_text("x: 1\n", encoding="utf-8")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        assert len(shared._signature(tmp_path)[1]) == 1081
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.05
