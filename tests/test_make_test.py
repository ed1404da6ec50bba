"""`make test`'s plumbing: its pytest processes together select every test exactly once, and its
last line says what passed, failed or did not run (tests/skips.py)."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

from _pytest.mark.expression import Expression
from conftest import SLOW_MARKS
from skips import append_log, final_line, not_run_line, read_log

REPO_ROOT = Path(__file__).resolve().parents[1]
MAKEFILE = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
BASE_MARKS = ("model", "server", "browser", "shared_stack", "trains", "postgres", "redis")


def lane_expressions() -> dict[str, str]:
    """The `-m` expression of each pytest process `make test` runs, read from the Makefile."""
    variables = dict(re.findall(r"^([A-Z_]+)\s*:=\s*(.*?)\s*$", MAKEFILE, flags=re.MULTILINE))
    lanes = {}
    for target in re.findall(r"^(test-[a-z0-9-]+):", MAKEFILE, flags=re.MULTILINE):
        recipe = MAKEFILE.split(f"\n{target}:", 1)[1].split("\n\n", 1)[0]
        found = re.search(r'-m "([^"]+)"', recipe) or re.search(r"-m (\S+)", recipe)
        if found:
            lanes[target] = re.sub(r"\$\((\w+)\)", lambda m: variables[m.group(1)], found.group(1))
    return lanes


def test_the_makefile_names_the_lanes_make_test_runs():
    lanes = lane_expressions()
    assert set(lanes) >= {"test-fast", "test-new-city", "test-shared", "test-own-servers-1"}
    goals = re.search(r"\$\(PARALLEL\) (\$\(MODEL\) [^;]*);", MAKEFILE).group(1).split()
    assert set(lanes) <= set(goals), (lanes, goals)


def test_every_combination_of_marks_runs_in_exactly_one_lane():
    lanes = lane_expressions()
    lanes.pop("test-own-servers-2")  # the same selection as -1, split by file
    compiled = {name: Expression.compile(expr) for name, expr in lanes.items()}
    wrong = []
    for n in range(len(BASE_MARKS) + 1):
        for combo in itertools.combinations(BASE_MARKS, n):
            marks = set(combo)
            if marks & set(SLOW_MARKS):
                marks.add("slow")  # what conftest adds
            chosen = [name for name, expr in compiled.items() if expr.evaluate(marks.__contains__)]
            if len(chosen) != 1:
                wrong.append((sorted(marks), chosen))
    assert not wrong, wrong


def test_own_servers_lanes_split_by_file_with_the_same_marks():
    lanes = lane_expressions()
    assert lanes["test-own-servers-1"] == lanes["test-own-servers-2"]
    first = re.search(r"^OWN_FIRST\s*:=\s*(.*)$", MAKEFILE, flags=re.MULTILINE).group(1).split()
    assert first and all((REPO_ROOT / name).is_file() for name in first)


def test_the_last_line_says_passed_failed_and_what_did_not_run(tmp_path):
    log = tmp_path / "skips.jsonl"
    assert final_line(read_log(log), 0) == "make test: passed, nothing skipped"
    assert final_line(read_log(log), 2).startswith("make test: FAILED")
    chromium = "Debian's chromium is missing: `make browser-deps` as root"
    append_log(log, [chromium] * 3)
    append_log(log, [chromium, "no trained model in models/: run `make train`"])
    line = final_line(read_log(log), 0)
    assert line.startswith("make test: passed; NOT RUN: 5 tests skipped.")
    assert f"{chromium} (4 tests)" in line and "run `make train` (1 test)" in line
    assert "\n" not in line
    assert not_run_line(Counter()) == ""


def test_every_test_marked_trains_is_in_the_files_its_lane_collects():
    named = set(re.search(r"^TRAINS_FILES\s*:=\s*(.*)$", MAKEFILE, flags=re.MULTILINE).group(1).split())
    marked = {
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "tests").rglob("test_*.py")
        if re.search(r"mark\.trains\b", path.read_text(encoding="utf-8"))
    }
    assert marked and marked <= named, (marked, named)
