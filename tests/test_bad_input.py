"""Bad input never crashes the bot: each gets a clear reply or a clear HTTP error (never a 5xx),
and the server goes on answering the next message.

The first part tests the pieces without servers (`MessageLimit`, the REST channel's checks);
the second sends every kind of bad input through the real Rasa server (REST channel, trained
model, real action server; see tests/servers.py), and measures what one huge message costs
the other users (figures in docs/benchmarks.md, "Huge messages").
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from sanic.exceptions import InvalidUsage

from citybot.channels.conversation_ids import conversation_id
from citybot.channels.request_checks import (
    MAX_MESSAGE_CHARS,
    MAX_SENDER_CHARS,
    checked_message,
    checked_sender,
)
from citybot.language.typography import french_typography
from citybot.nlu.message_limit import DEFAULT_MAX_CHARS, TRUNCATED, MessageLimit, shorten
from citybot.text import clean_text

REPO_ROOT = Path(__file__).resolve().parents[1]
QUESTION_EN = "What did Mayo-Baleo do about schools?"
QUESTION_FR = "Qu'a fait Mayo-Baléo pour les écoles ?"


# --- MessageLimit and text cleaning (no server) ----------------------------------------------


def test_short_text_is_kept_as_it_is():
    assert shorten("What did Évry do?", 2000) == "What did Évry do?"


def test_long_text_is_cut_at_a_word_boundary_below_the_limit():
    text = "schools " * 1000
    cut = shorten(text, 2000)
    assert len(cut) <= 2000
    assert cut.endswith("schools") and cut.split() == ["schools"] * len(cut.split())


def test_text_without_spaces_is_cut_at_the_limit():
    assert shorten("x" * 5000, 2000) == "x" * 2000


def test_control_characters_and_lone_surrogates_are_removed_newlines_kept():
    assert clean_text("a\x00b\x07c\x1b[31md\ud800e\nf\tg") == "abcd?e\nf\tg"
    # escape sequences go whole: no "]0;title" or "[2J" debris is stored
    assert clean_text("x\x1b]0;pwned\x07y\x1b[2Jz\x9b1mw") == "xyzw"
    assert clean_text(None) == "" and clean_text(42) == ""


def _process(text: Any, max_chars: int = DEFAULT_MAX_CHARS):
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={"text": text})
    MessageLimit(max_chars).process([message])
    return message


def test_message_limit_cuts_and_flags_huge_messages_in_the_parse_output():
    message = _process("What did Évry do for families? " + "blah " * 20_000)
    assert len(message.get("text")) <= DEFAULT_MAX_CHARS
    assert message.get("text").startswith("What did Évry do for families?")
    assert message.as_dict(only_output_properties=True)[TRUNCATED] is True


def test_message_limit_flags_ordinary_messages_as_not_truncated():
    message = _process("Qu'a fait Évry\x00 ?")
    assert message.get("text") == "Qu'a fait Évry ?"
    assert message.as_dict(only_output_properties=True)[TRUNCATED] is False


def test_message_limit_is_the_first_component_of_the_pipeline():
    config = yaml.safe_load((REPO_ROOT / "bot" / "config.yml").read_text())
    assert config["pipeline"][0]["name"] == "citybot.nlu.message_limit.MessageLimit"


@pytest.mark.parametrize("value", [None, "", "   ", True, [], {"id": 1}, "x" * (MAX_SENDER_CHARS + 1)])
def test_rest_channel_refuses_unusable_senders(value):
    with pytest.raises(InvalidUsage):
        checked_sender(value)


def test_rest_channel_accepts_string_and_number_senders():
    assert checked_sender(" user-1 ") == "user-1"
    assert checked_sender(42) == "42"


def test_rest_channel_keeps_a_bounded_clean_text():
    assert checked_message("What did Évry do?\x00") == "What did Évry do?"
    assert len(checked_message("schools " * 100_000)) == MAX_MESSAGE_CHARS


@pytest.mark.parametrize("value", [None, 3, ["hi"], {"text": "hi"}])
def test_rest_channel_refuses_messages_that_are_not_text(value):
    with pytest.raises(InvalidUsage):
        checked_message(value)


# --- Through the real servers -----------------------------------------------------------------


def post_raw(url: str, body: bytes, timeout: float = 120.0) -> tuple[int, bytes]:
    """POST raw bytes as JSON; returns (status, body) for every status."""
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def say(stack, sender: str, text: str, **extra: Any) -> tuple[int, list[dict[str, Any]]]:
    """One REST turn: (status, bot messages)."""
    from servers import http_post_json

    status, body = http_post_json(
        f"{stack.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text, **extra}, timeout=120
    )
    return status, (json.loads(body) if status == 200 else [])


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def unique(prefix: str) -> str:
    return f"bad-{prefix}-{time.time_ns()}"


@pytest.fixture(scope="module")
def answers(stack) -> dict[str, str]:
    """The normal answer to the reference question, per language (to recognise it later)."""
    found = {}
    for lang, question in (("en", QUESTION_EN), ("fr", QUESTION_FR)):
        status, messages = say(stack, unique(f"ref-{lang}"), question)
        assert status == 200 and texts(messages), f"no answer to {question!r}: {messages}"
        found[lang] = texts(messages)
    return found


@pytest.fixture(scope="module")
def responses() -> dict[str, dict[str, str]]:
    """Every domain response's English and French first text, by name, as the reader sees them
    (French replies are set in French typography when they are rendered: citybot/nlg.py)."""
    domain = yaml.safe_load((REPO_ROOT / "bot" / "domain.yml").read_text())
    found = {}
    for name, variations in domain["responses"].items():
        by_lang = {"en": None, "fr": None}
        for variation in variations:
            lang = "fr" if variation.get("condition") else "en"
            by_lang[lang] = by_lang[lang] or variation.get("text")
        if by_lang["fr"]:
            by_lang["fr"] = french_typography(by_lang["fr"])
        found[name] = by_lang
    return found


def assert_still_serving(stack, answers, lang: str = "en") -> None:
    """A fresh conversation still gets its normal answer."""
    question = QUESTION_EN if lang == "en" else QUESTION_FR
    status, messages = say(stack, unique("next"), question)
    assert status == 200 and texts(messages) == answers[lang]


def assert_replies_in(language: str, messages, responses) -> None:
    """At least one reply, none of them a French (resp. English) variation of a domain response."""
    other = "fr" if language == "en" else "en"
    said = texts(messages)
    assert said.strip(), "no reply at all"
    fixed = [r[other] for r in responses.values() if r[other] and "{" not in r[other]]
    assert not any(text in said for text in fixed), f"reply not in {language}: {said}"


@pytest.mark.server
@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        " \n\t ",
        "😷🏙️👍",
        "🙂" * 50,
        "\x00\x01\x02\x1b[2J",
        "caf\ud800é ?",
        "<script>alert('x')</script>",
        "<img src=x onerror=alert(1)> Évry ?",
        "'; DROP TABLE events; --",
        "{{7*7}} ${jndi:ldap://127.0.0.1/a}",
    ],
)
def test_odd_texts_get_a_reply_and_the_server_goes_on(stack, answers, text):
    sender = unique("odd")
    status, messages = say(stack, sender, text)
    assert status == 200, messages
    said = texts(messages)
    assert said.strip(), f"no reply to {text!r}"
    assert "<script" not in said and "onerror" not in said
    assert_still_serving(stack, answers)


@pytest.mark.server
@pytest.mark.model
def test_control_characters_never_reach_the_conversation(stack):
    sender = unique("ctrl")
    # ESC starts a terminal escape sequence, removed whole (citybot.text): "\x1b[0m", not "\x1b d"
    # (ESC, space, "d" is one sequence too: the "d" of "do" would go with it).
    status, _ = say(stack, sender, "What did\x00 Évry\x1b[0m do\x07 for families?")
    assert status == 200
    events = stack.tracker(conversation_id("rest", sender))["events"]
    user = [e for e in events if e["event"] == "user"][-1]
    assert user["text"] == "What did Évry do for families?"


@pytest.mark.server
@pytest.mark.model
@pytest.mark.parametrize(
    "body, reason",
    [
        (b'{"sender": "x", "message": ', b"JSON object"),
        (b"not json at all", b"JSON object"),
        (b"", b"JSON object"),
        (b'["sender", "message"]', b"JSON object"),
        (b'"hello"', b"JSON object"),
        (b'{"sender": "x", "message": "caf\xe9 \xff"}', b"JSON object"),  # invalid UTF-8
        (b'{"message": "hello"}', b"sender is required"),
        (b'{"sender": null, "message": "hello"}', b"sender is required"),
        (b'{"sender": {"id": 1}, "message": "hello"}', b"sender is required"),
        (b'{"sender": "x"}', b"message is required"),
        (b'{"sender": "x", "message": 12}', b"message is required"),
        (b'{"sender": "x", "message": "hi", "metadata": "fr"}', b"metadata must be"),
    ],
)
def test_unusable_requests_get_a_400_that_says_why(stack, answers, body, reason):
    status, reply = post_raw(f"{stack.rasa_url}/webhooks/rest/webhook", body)
    assert status == 400, reply
    assert reason in reply
    assert_still_serving(stack, answers)


@pytest.mark.server
@pytest.mark.model
def test_requests_without_sender_do_not_share_a_conversation(stack):
    """Rasa's stock channel files them all under "default": ours refuses them."""
    marker = unique("anonymous")
    for text in (f"I am {marker} from Évry", f"{marker}: and Chefchaouen?"):
        status, _ = post_raw(
            f"{stack.rasa_url}/webhooks/rest/webhook", json.dumps({"message": text}).encode()
        )
        assert status == 400
    for shared in ("default", conversation_id("rest", "default")):
        said = [e.get("text") or "" for e in stack.tracker(shared)["events"] if e["event"] == "user"]
        assert not any(marker in text for text in said)


@pytest.mark.server
@pytest.mark.model
def test_an_unknown_sender_starts_a_new_conversation(stack, answers):
    status, messages = say(stack, unique("never-seen"), QUESTION_FR)
    assert status == 200 and texts(messages) == answers["fr"]


@pytest.mark.server
@pytest.mark.model
@pytest.mark.parametrize(
    "payload",
    [
        "/no_such_intent",
        '/no_such_intent{"city": "evry"}',
        '/ask_city_overview{"no_such_entity": "x"}',
        '/ask_city_overview{"city": "atlantis"}',
        '/ask_city_overview{"city": ',
        '/ask_city_overview{"city": [1, {"a": 2}]}',
        "/",
        "/" + "x" * 5000,
    ],
)
def test_button_payloads_naming_unknown_things_get_a_reply(stack, answers, payload):
    status, messages = say(stack, unique("payload"), payload)
    assert status == 200, messages
    assert texts(messages).strip(), f"no reply to {payload!r}"
    assert_still_serving(stack, answers)


@pytest.mark.server
@pytest.mark.model
@pytest.mark.parametrize(
    "lang, opener, foreign",
    [
        ("en", "Hello", "Was hat Chefchaouen für die Schulen gemacht?"),
        ("fr", "Bonjour", "¿Qué hizo Chefchaouen por las escuelas?"),
        ("fr", "Bonjour", "Was hat Chefchaouen für die Schulen gemacht?"),  # guessed "en" by the NLU
    ],
)
def test_another_language_is_answered_in_the_conversation_language(stack, responses, lang, opener, foreign):
    sender = unique(f"foreign-{lang}")
    say(stack, sender, opener)
    status, messages = say(stack, sender, foreign)
    assert status == 200
    assert_replies_in(lang, messages, responses)
    assert stack.tracker(conversation_id("rest", sender))["slots"]["language"] == lang
    supported = responses.get("utter_languages_supported", {}).get(lang)
    assert supported, "the domain has no utter_languages_supported response"
    assert supported in texts(messages)


# --- One huge message versus everybody else -----------------------------------------------


def rss_bytes(pid: int) -> int:
    """Resident memory of process `pid` and its children (Linux /proc), in bytes."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(child) for child in children]
    except OSError:
        pass
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


class MemoryWatch:
    """Samples a process's resident memory every 50 ms in a thread; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = rss_bytes(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, rss_bytes(self.pid))


def timed_turns(stack, count: int, prefix: str) -> list[float]:
    """Latencies (s) of `count` ordinary questions, each from a new user, one after another."""
    latencies = []
    for index in range(count):
        question = QUESTION_EN if index % 2 else QUESTION_FR
        started = time.perf_counter()
        status, messages = say(stack, unique(f"{prefix}{index}"), question)
        latencies.append(time.perf_counter() - started)
        assert status == 200 and texts(messages)
    return latencies


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


HUGE_WORDS = 20_000  # the size measured on a bare Rasa 3.6 bot (21 s busy, +13 GB)
TURNS = 20
MAX_HUGE = 30  # bound on huge messages sent while the others talk


def huge_text() -> str:
    return "What did Évry do for vulnerable families? " + " ".join(
        f"word{index % 500}" for index in range(HUGE_WORDS)
    )


@pytest.mark.server
@pytest.mark.model
def test_a_huge_message_is_shortened_and_others_are_not_held_up(stack, answers, responses):
    """Huge messages are sent back to back (at most MAX_HUGE) for as long as another user asks
    TURNS ordinary questions, so every one of those turns competes with a huge message.

    Asserted: every huge message is answered with the "shortened" notice, every other user gets
    an answer, memory stays within 1.5x its normal peak (the kernel's high-water mark: not a
    timing), and the server serves on. Latency is printed (pytest -s), not asserted: the 2x p95
    target is measured by scripts/bench/huge_message.py (docs/benchmarks.md)."""
    pid = stack.rasa.process.pid
    text = huge_text()
    timed_turns(stack, 3, "warm")
    with MemoryWatch(pid) as normal_memory:
        normal = timed_turns(stack, TURNS, "normal")
    done = threading.Event()
    huge: list[tuple[float, int, list[dict[str, Any]]]] = []

    def send_huge() -> None:
        while not done.is_set() and len(huge) < MAX_HUGE:
            started = time.perf_counter()
            status, messages = say(stack, unique("huge"), text)
            huge.append((time.perf_counter() - started, status, messages))

    with MemoryWatch(pid) as huge_memory:
        sender = threading.Thread(target=send_huge)
        sender.start()
        time.sleep(0.05)
        during = timed_turns(stack, TURNS, "during")
        done.set()
        sender.join(timeout=300)
    assert not sender.is_alive(), "a huge message got no answer within 300 s"
    seconds = [entry[0] for entry in huge]
    figures = (
        f"{len(huge)} huge messages of {len(text)} chars, each answered in "
        f"{min(seconds):.2f}-{max(seconds):.2f} s; other users' p95 {p95(normal):.3f} s "
        f"normally, {p95(during):.3f} s during; Rasa RSS peak {normal_memory.peak / 2**20:.0f} MiB "
        f"normally, {huge_memory.peak / 2**20:.0f} MiB during"
    )
    print(figures)
    notice = responses["utter_message_shortened"]["en"]
    assert all(status == 200 and notice in texts(messages) for _, status, messages in huge), huge[:1]
    assert huge_memory.peak <= 1.5 * normal_memory.peak, figures
    assert_still_serving(stack, answers)


def _held_out_examples() -> list[str]:
    """Plain texts of the English and French NLU evaluation examples (tests/nlu/, held-out and blind)."""
    import re

    found = []
    for name in ("en.yml", "fr.yml", "blind/en.yml", "blind/fr.yml"):
        data = yaml.safe_load((REPO_ROOT / "tests" / "nlu" / name).read_text(encoding="utf-8"))
        for item in data.get("nlu") or []:
            for line in str(item.get("examples") or "").splitlines():
                text = re.sub(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})", r"\1", line.strip().lstrip("- "))
                if text:
                    found.append(text)
    return found


def test_english_and_french_questions_are_never_taken_for_another_language(kb):
    """A false alarm would tell an English or French user that we do not speak their language."""
    from citybot.language.decision import is_third_language

    examples = _held_out_examples()
    assert len(examples) > 100
    flagged = [text for text in examples if is_third_language(text, kb.name_words)]
    assert not flagged
