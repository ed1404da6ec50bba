"""Property: whatever the store holds, the report (turns -> reasons -> groups -> text and CSV)
never raises, and everything it writes is safe in a terminal and in a spreadsheet.

The events are generated the way the store can hold them: Rasa's event shapes, filled with any
text and, where a client's JSON ends up (metadata, entities, slot values, bot values), with any
JSON value.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from hostile import HUGE_TEXTS, hostile_text, json_value, property_settings
from hypothesis import example, given
from hypothesis import strategies as st

from citybot.report import RESPONSE_REASONS
from citybot.report.cells import (
    CELL_CHARS,
    ELLIPSIS,
    FORMULA_TRIGGERS,
    SPREADSHEET_CELL_CHARS,
    cell,
    spreadsheet_cell,
)
from citybot.report.grouping import group
from citybot.report.output import csv_rows, write_csv, write_text
from citybot.report.reasons import unanswered
from citybot.report.store import StoredEvent, _decode, shown_url
from citybot.report.turns import conversation_turns

#: What must never reach a terminal or a cell: C0 but newline, DEL, C1, surrogates, bidi controls.
FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


# ----- one cell ---------------------------------------------------------------------------------


@property_settings(400)
@given(hostile_text, st.integers(1, 300))
@example("\x1b]0;pwned\x07\x1b[2Jok", CELL_CHARS)
@example("=1+1", 1)
def test_a_cell_is_one_clean_line_within_its_limit(text, limit):
    shown = cell(text, limit)
    assert not FORBIDDEN.search(shown) and "\n" not in shown
    assert len(shown) <= limit
    assert shown == shown.strip() and "  " not in shown
    assert cell(shown, limit) == shown  # cleaning twice changes nothing more
    if len(text) <= limit and not FORBIDDEN.search(text) and text == " ".join(text.split()):
        assert shown == text  # ordinary text is shown as typed
    if shown.endswith(ELLIPSIS) and not text.endswith(ELLIPSIS):
        assert len(text) > len(shown) - 1  # "…" only marks a cut


@property_settings(200)
@given(hostile_text)
@example(" \t =1+1")
@example("\x1b[31m=1+1")  # a formula behind an escape sequence
@example("\u202e=1+1")  # or behind a bidirectional control
def test_no_spreadsheet_cell_starts_a_formula(text):
    shown, plain = spreadsheet_cell(text), cell(text, SPREADSHEET_CELL_CHARS)
    assert not shown.startswith(FORMULA_TRIGGERS)
    assert shown in (plain, "'" + plain)  # what was typed, at most quoted


@property_settings(20)
@given(st.sampled_from(HUGE_TEXTS))
def test_huge_texts_make_short_cells(text):
    assert len(cell(text)) <= CELL_CHARS and len(spreadsheet_cell(text)) <= 1001


# ----- the whole report over any stored events --------------------------------------------------

responses = st.one_of(
    st.sampled_from(sorted(RESPONSE_REASONS)), st.sampled_from(["utter_greet", None]), json_value
)


@st.composite
def entity(draw):
    return {
        "entity": draw(st.sampled_from(["city", "topic", "organisation", "webinar_date", "x"])),
        "value": draw(json_value),
        "start": draw(st.one_of(st.integers(-5, 50), json_value)),
        "end": draw(st.one_of(st.integers(-5, 80), json_value)),
    }


@st.composite
def user_event(draw):
    text = draw(hostile_text)
    parse = draw(
        st.one_of(
            st.fixed_dictionaries(
                {
                    "text": st.one_of(st.just(text), hostile_text, json_value),
                    "intent": st.one_of(
                        st.fixed_dictionaries(
                            {
                                "name": st.one_of(st.sampled_from(["nlu_fallback", "ask_city"]), json_value),
                                "confidence": json_value,
                            }
                        ),
                        json_value,
                    ),
                    "entities": st.one_of(st.lists(entity(), max_size=3), json_value),
                    "intent_ranking": json_value,
                    "language_guess": json_value,
                }
            ),
            json_value,
        )
    )
    return {
        "event": "user",
        "text": draw(st.one_of(st.just(text), json_value)),
        "timestamp": draw(st.one_of(st.floats(0, 2e9), json_value)),
        "parse_data": parse,
        "metadata": draw(st.one_of(st.fixed_dictionaries({"language": json_value}), json_value)),
    }


bot_event = st.fixed_dictionaries(
    {
        "event": st.just("bot"),
        "text": json_value,
        "metadata": st.one_of(
            st.fixed_dictionaries(
                {
                    "utter_action": responses,
                    "city": json_value,
                    "topic": json_value,
                    "organisation": json_value,
                    "date": json_value,
                }
            ),
            json_value,
        ),
    }
)
slot_event = st.fixed_dictionaries(
    {"event": st.just("slot"), "name": st.sampled_from(["language", "city"]), "value": json_value}
)
stored_events = st.lists(
    st.builds(
        StoredEvent,
        st.sampled_from(["a", "b", "rest:c", "\ud800"]),
        st.one_of(st.floats(0, 2e9), st.just(float("nan")), st.just(1e300)),
        st.one_of(user_event(), bot_event, slot_event, st.dictionaries(st.text(max_size=5), json_value)),
    ),
    max_size=12,
).map(lambda events: sorted(events, key=lambda e: e.sender_id))  # as read_events gives them


@property_settings(150)
@given(stored_events, st.floats(0, 1.01), st.integers(0, 5))
def test_the_report_never_raises_and_writes_only_safe_cells(
    tmp_path_factory, events, min_confidence, examples
):
    turns = list(conversation_turns(events))
    items = list(unanswered(turns, min_confidence))
    groups = group(items)
    assert sum(g.count for g in groups) == len(items)
    assert len(turns) == sum(1 for e in events if e.event.get("event") == "user")

    rows = csv_rows(groups, examples)
    assert len(rows) == len(groups)
    for row in rows:
        for value in row.values():
            if isinstance(value, str):
                assert not value.startswith(FORMULA_TRIGGERS) and not FORBIDDEN.search(value), value
                assert len(value) <= 1001
    out = io.StringIO()
    write_text(groups, out, "Unanswered questions", examples)
    text = out.getvalue()
    assert not FORBIDDEN.search(text)
    text.encode("utf-8")  # strict: no surrogate left
    path = Path(tmp_path_factory.mktemp("csv")) / "report.csv"
    write_csv(groups, path, examples)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) == len(groups) + 1


# ----- reading the store -----------------------------------------------------------------------


@property_settings(200)
@given(st.one_of(hostile_text, st.binary(max_size=60), st.none()))
@example("[" * 100_000)  # nested beyond the recursion limit
@example("1" * 5_000)  # a number longer than Python converts
def test_a_stored_row_decodes_to_an_event_or_to_nothing(data):
    event = _decode(data)
    assert event is None or isinstance(event, dict)


@property_settings(200)
@given(
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10),
    st.text(st.characters(blacklist_categories=("Cs", "Zs", "Cc")), min_size=6, max_size=30),
    st.sampled_from(["db:5432/citybot", "[::1]/x", "h", "db:port/x?sslmode=require"]),
)
@example("staff", "s3c@ret/with:everything", "127.0.0.1:1/test")
def test_a_shown_url_never_holds_its_password(user, password, rest):
    url = f"postgresql://{user}:{password}@{rest}"
    shown = shown_url(url)
    assert shown.startswith(f"postgresql://{user}:***@")
    assert password not in shown.removeprefix(f"postgresql://{user}:***@") or password in rest
