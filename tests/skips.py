"""One plain line saying which tests did not run and how to run them.

pytest's `-ra` summary lists every skipped test with its reason; this sums them up. conftest.py
prints the line at the end of each pytest session and, when `CITYBOT_SKIP_LOG` names a file,
appends the session's skip reasons to it; `make test` runs this file on that log after all its
pytest sessions (`python tests/skips.py LOG STATUS`), so the last line of `make test` says
whether it passed and what did not run.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

SKIP_LOG_ENV = "CITYBOT_SKIP_LOG"


def not_run_line(reasons: Counter[str]) -> str:
    """E.g. "NOT RUN: 5 tests. Debian's chromium is missing: ... (5 tests)"; "" when nothing was skipped."""
    total = sum(reasons.values())
    if not total:
        return ""
    parts = [f"{reason} ({count} test{'s' if count > 1 else ''})" for reason, count in reasons.most_common()]
    return f"NOT RUN: {total} test{'s' if total > 1 else ''} skipped. " + "; ".join(parts)


def read_log(path: Path) -> Counter[str]:
    """The reasons appended by the pytest sessions (one JSON object per skipped test)."""
    if not path.is_file():
        return Counter()
    return Counter(
        json.loads(line)["reason"] for line in path.read_text(encoding="utf-8").splitlines() if line
    )


def append_log(path: Path, reasons: Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:  # one short write per line: sessions may run side by side
        for reason in reasons:
            log.write(json.dumps({"reason": reason}) + "\n")


def final_line(reasons: Counter[str], status: int) -> str:
    """The last line of `make test`: passed or failed, and what did not run."""
    verdict = "make test: passed" if status == 0 else "make test: FAILED (the failing job's output is above)"
    not_run = not_run_line(reasons)
    if not not_run:
        return verdict + (", nothing skipped" if status == 0 else "")
    return f"{verdict}; {not_run}"


def main(argv: list[str]) -> int:
    """`python tests/skips.py SKIP_LOG STATUS`: print the final line; exit with STATUS."""
    if len(argv) != 2 or not argv[1].isdigit():
        print("usage: python tests/skips.py SKIP_LOG STATUS", file=sys.stderr)
        return 2
    status = int(argv[1])
    print(final_line(read_log(Path(argv[0])), status))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
