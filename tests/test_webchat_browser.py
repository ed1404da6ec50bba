"""The web chat page in headless Debian Chromium (Playwright, no downloaded browser).

Two parts:
- with the echo bot (tests/servers.py; no model): bot text carrying markup is shown as
  text and never runs; the FR/EN switch changes the language sent to the bot; a reload
  keeps the conversation and the bot still answers;
- with the real Rasa server, model and action server: a French and an English
  conversation answered from the knowledge base, quick replies, the switch, a reload,
  injection strings; saves docs/screenshot-webchat-fr.png.
Every request the page makes must stay on 127.0.0.1 (no CDN).
"""

import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from servers import free_port, start_echo_server

from citybot import webchat
from citybot.channels.conversation_ids import conversation_id
from citybot.language.typography import french_typography

pytestmark = [pytest.mark.browser, pytest.mark.server]

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOT = REPO_ROOT / "docs" / "screenshot-webchat-fr.png"
QUESTION = {"fr": "Qu'a fait Mayo-Baléo pour les écoles ?", "en": "What did Mayo-Baleo do about schools?"}
INJECTIONS = [
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "<script>window.__pwned = 'script'</script>",
    "[click me](javascript:window.__pwned='link')",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's chromium is missing: `make browser-deps` as root or with sudo "
            "(apt-get install chromium), then make test again"
        )
    if not (webchat.WEBCHAT_DIR / webchat.VENDOR_BUNDLE).is_file():
        pytest.skip("rasa-webchat is not installed: run `npm ci` in webchat/")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def serve_page(port: int, rasa_port: int):
    server = webchat.make_server("127.0.0.1", port, rasa_port=rasa_port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Chat:
    """One browser tab on the page, with the helpers the tests need."""

    def __init__(self, browser, url: str, locale: str) -> None:
        self.context = browser.new_context(locale=locale, viewport={"width": 900, "height": 860})
        self.page = self.context.new_page()
        self.hosts: list[str] = []
        self.page.on("request", lambda request: self.hosts.append(urlsplit(request.url).hostname or ""))
        self.url = url
        self.page.goto(url)

    def bot_texts(self) -> list[str]:
        return self.page.locator("#chat .rw-response").all_inner_texts()

    def user_texts(self) -> list[str]:
        return self.page.locator("#chat .rw-client").all_inner_texts()

    def wait_for_bot(self, count: int, timeout_ms: int = 90_000) -> list[str]:
        """Wait until at least ``count`` bot messages are shown, then for the rest of the turn."""
        self.page.wait_for_function(
            "n => document.querySelectorAll('#chat .rw-response').length >= n", arg=count, timeout=timeout_ms
        )
        self.page.wait_for_timeout(1500)  # an answer may come in several messages
        return self.bot_texts()

    def ask(self, text: str) -> list[str]:
        """Type ``text``, send it, return the bot messages that answer it."""
        before = len(self.bot_texts())
        self.page.fill("#chat .rw-new-message", text)
        self.page.keyboard.press("Enter")
        return self.wait_for_bot(before + 1)[before:]

    def pwned(self):
        return self.page.evaluate("window.__pwned")

    def reload(self) -> None:
        self.page.reload()
        self.page.wait_for_selector("#chat .rw-response")
        self.page.wait_for_timeout(1500)

    def session_id(self) -> str:
        """The id the server issued to the page (rasa-webchat keeps it in sessionStorage)."""
        return self.page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id")

    def conversation_id(self) -> str:
        """The conversation's id in the tracker store: ``socketio:<session>``, the session being the
        issued id's part before the dot (citybot.channels.session_tokens)."""
        return conversation_id("socketio", self.session_id().split(".")[0])

    def close(self) -> None:
        self.context.close()


def assert_no_injection_ran(chat: Chat) -> None:
    assert chat.pwned() is None
    assert chat.page.locator("#chat img[src='x']").count() == 0
    assert chat.page.locator("#chat script").count() == 0
    assert chat.page.locator("#chat a[href]:not([href^='http']):not([href^='mailto'])").count() == 0


def assert_loopback_only(chat: Chat) -> None:
    assert set(chat.hosts) <= {"127.0.0.1"}, f"the page called out: {sorted(set(chat.hosts))}"


# --- with the echo bot (no model needed) -------------------------------------------------


@pytest.fixture(scope="module")
def echo_page(tmp_path_factory):
    port = free_port()  # the page's origin is the one the socket accepts
    echo = start_echo_server(
        tmp_path_factory.mktemp("echo-browser"), page_origins=[f"http://127.0.0.1:{port}"]
    )
    server = serve_page(port, echo.port)
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()
    server.server_close()
    echo.stop()


def test_bot_text_with_markup_is_shown_as_text_and_never_runs(browser, echo_page):
    chat = Chat(browser, echo_page, "en-US")
    try:
        chat.wait_for_bot(1)
        for attack in INJECTIONS:
            answer = "\n".join(chat.ask(attack))
            chat.page.wait_for_timeout(500)
            assert_no_injection_ran(chat)
            if attack.startswith("<"):  # the bot's text shows the markup literally
                assert attack in answer, answer
        assert chat.user_texts()[:2] == INJECTIONS[:2]
        for link in chat.page.locator("#chat a").all():  # clicking a link runs nothing either
            link.click()
        assert_no_injection_ran(chat)
        assert_loopback_only(chat)
    finally:
        chat.close()


def test_a_source_reference_link_stays_a_working_https_link(browser, echo_page):
    """ "source?" on the web page writes each reference as a markdown link (actions/sources.py):
    the page must render it as a link to the address, not disarm it like unsafe links."""
    url = "https://uil.unesco.org/lifelong-learning/learning-cities/unesco-learning-cities-responses-covid-19-outcomes-webinar-23"
    chat = Chat(browser, echo_page, "en-US")
    try:
        chat.wait_for_bot(1)
        chat.ask(f"[Outcomes of webinar on 23 April]({url}), UIL, 12 May 2020")
        link = chat.page.locator(f"#chat .rw-response a[href='{url}']")
        assert link.count() == 1 and link.inner_text() == "Outcomes of webinar on 23 April"
        assert link.get_attribute("data-blocked-href") is None
    finally:
        chat.close()


def test_switch_sends_the_new_language_and_reload_keeps_the_conversation(browser, echo_page):
    chat = Chat(browser, echo_page, "en-GB")
    try:
        assert chat.wait_for_bot(1)[0].startswith("(en) /greet")
        assert chat.page.locator("button[data-lang=en]").get_attribute("aria-pressed") == "true"
        chat.page.click("button[data-lang=fr]")
        assert chat.wait_for_bot(2)[1].startswith('(fr) /switch_language{"language":"fr"}')
        assert chat.page.evaluate("document.documentElement.lang") == "fr"
        assert chat.page.get_attribute("#chat .rw-new-message", "placeholder") == "Posez une question…"
        assert chat.ask("encore")[0].startswith("(fr) encore")
        session, before = chat.session_id(), chat.bot_texts()
        chat.reload()
        assert chat.bot_texts() == before and chat.session_id() == session
        assert chat.ask("après rechargement")[0].startswith("(fr) après rechargement")
        assert_loopback_only(chat)
    finally:
        chat.close()


# --- with the real bot --------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_page(stack):
    """The page on the port Rasa's CORS allows (chosen when the stack started)."""
    server = serve_page(stack.page_port, stack.rasa.port)
    yield f"http://127.0.0.1:{stack.page_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def responses() -> dict[str, dict[str, dict]]:
    """The domain's responses by language: {"utter_greet": {"en": {...}, "fr": {...}}}, French
    ones spaced as the reader sees them."""
    domain = yaml.safe_load((REPO_ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    found: dict[str, dict[str, dict]] = {}
    for name, variations in domain.get("responses", {}).items():
        for variation in variations:
            conditions = variation.get("condition") or []
            french = any(c.get("name") == "language" and c.get("value") == "fr" for c in conditions)
            found.setdefault(name, {}).setdefault(
                "fr" if french else "en", spaced(variation) if french else variation
            )
    return found


def spaced(variation: dict) -> dict:
    """A French variation as the page shows it: the Rasa server adds the no-break spaces."""
    buttons = [{**b, "title": french_typography(b["title"])} for b in variation.get("buttons") or []]
    return {**variation, "text": french_typography(variation.get("text", "")), "buttons": buttons}


@pytest.fixture(scope="module")
def school_texts(kb):
    measures = kb.measures_for("mayo-baleo", "schooling")
    return {"en": [m.text.en for m in measures], "fr": [french_typography(m.text.fr) for m in measures]}


def assert_kb_answer(language: str, answer: list[str], school_texts) -> None:
    text = "\n".join(answer)
    other = "en" if language == "fr" else "fr"
    assert any(t in text for t in school_texts[language]), text
    assert not any(t in text for t in school_texts[other]), text


def first_line(response: dict) -> str:
    """The response's opening words, up to its first line break or {placeholder}."""
    return response["text"].strip().split("\n")[0].split("{")[0].strip()


def test_french_conversation_with_quick_replies_and_screenshot(
    browser, real_page, stack, responses, school_texts
):
    chat = Chat(browser, real_page, "fr-FR")
    try:
        greeting = chat.wait_for_bot(1)
        assert first_line(responses["utter_greet"]["fr"]) in greeting[0]
        assert "Bonjour\u202f!" in greeting[0]  # French typography reaches the page
        assert_kb_answer("fr", chat.ask(QUESTION["fr"]), school_texts)
        tracker = stack.tracker(chat.conversation_id())
        assert tracker["slots"].get("language") == "fr"
        assert [e for e in tracker["events"] if e["event"] == "user"][-1]["metadata"].get("language") == "fr"
        chat.page.screenshot(path=str(SCREENSHOT))
        # Suggestions are quick-reply buttons, in French; clicking one asks it.
        suggestion = responses["utter_out_of_scope"]["fr"]["buttons"][0]
        chat.ask("/out_of_scope")
        replies = chat.page.locator("#chat .rw-reply")
        assert replies.all_inner_texts() == [suggestion["title"]]
        before = len(chat.bot_texts())
        replies.first.click()
        answer = chat.wait_for_bot(before + 1)[before:]
        assert first_line(responses["utter_capabilities"]["fr"]) in answer[0]
        assert_loopback_only(chat)
    finally:
        chat.close()


def test_english_conversation_reload_and_switch_to_french(browser, real_page, stack, responses, school_texts):
    chat = Chat(browser, real_page, "en-GB")
    try:
        assert first_line(responses["utter_greet"]["en"]) in chat.wait_for_bot(1)[0]
        assert_kb_answer("en", chat.ask(QUESTION["en"]), school_texts)
        history, session = chat.bot_texts(), chat.session_id()
        chat.reload()
        assert chat.bot_texts() == history and chat.session_id() == session
        asked = [
            e.get("text") for e in stack.tracker(chat.conversation_id())["events"] if e["event"] == "user"
        ]
        assert QUESTION["en"] in asked  # the server holds the same conversation
        before = len(chat.bot_texts())
        chat.page.click("button[data-lang=fr]")
        switched = chat.wait_for_bot(before + 1)[before:]
        # The page's part: an explicit switch, with the new language as the hint.
        tracker = stack.tracker(chat.conversation_id())
        last = [e for e in tracker["events"] if e["event"] == "user"][-1]
        assert last["parse_data"]["intent"]["name"] == "switch_language"
        assert {"entity": "language", "value": "fr"}.items() <= last["parse_data"]["entities"][0].items()
        assert last["metadata"].get("language") == "fr"
        # The bot's part: it switches, and goes on in French.
        assert responses["utter_language_switched"]["fr"]["text"] in "\n".join(switched)
        assert tracker["slots"].get("language") == "fr"
        assert_kb_answer("fr", chat.ask(QUESTION["fr"]), school_texts)
        assert_loopback_only(chat)
    finally:
        chat.close()


def test_injection_strings_sent_to_the_real_bot_never_run(browser, real_page):
    chat = Chat(browser, real_page, "en-US")
    try:
        chat.wait_for_bot(1)
        for attack in INJECTIONS:
            assert chat.ask(attack), "the bot did not answer"
            assert_no_injection_ran(chat)
        assert chat.user_texts()[-3:-1] == INJECTIONS[:2]
    finally:
        chat.close()
