"""Long reverse lists a page at a time, "more", and comparisons (issue 12).

A fixture knowledge base with more than `PAGE_CITIES` cities on one topic is built in a temporary
folder (a copy of tests/fixtures/kb/valid/ plus generated cities) and served to the actions through
`$CITYBOT_KNOWLEDGE`, as the action server would; the real knowledge/ is never touched. Replies
are rendered with the real domain and NLG (tests/action_harness.py), so the tests read what the
user reads, in both languages, on the web page and on a messaging channel.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from action_harness import Said, all_text, entity, run, slot_events
from rasa_sdk import Tracker

from actions import topics
from actions.compare import CompareCities
from actions.more import ShowMore
from actions.topics import PAGE_CHARS, PAGE_CITIES, AnswerCitiesByTopic
from citybot.kb import load_knowledge_base
from citybot.paths import KNOWLEDGE_ENV

VALID_KB = Path(__file__).resolve().parent / "fixtures" / "kb" / "valid"
SOURCE = "uil-webinar-2020-04-23-en"

#: Cities added to the fixture, each with a measure on masks; alphabetical order once accents are
#: folded, with Évry-Courcouronnes (already in the fixture) between Ébène and Faro.
MASK_CITIES = [
    "Nantes",
    "Aarhus",
    "Ébène",
    "Bergen",
    "Cádiz",
    "Dakar",
    "Faro",
    "Hué",
    "Izmir",
    "Jena",
    "Kobe",
    "Lyon",
]
MASKS_IN_ORDER = [
    "Aarhus", "Bergen", "Cádiz", "Dakar", "Ébène", "Évry-Courcouronnes",
    "Faro", "Hué", "Izmir", "Jena", "Kobe", "Lyon", "Nantes",
]  # fmt: skip
#: Cities with three long measures each on food: their entries outgrow `PAGE_CHARS` before 8 cities.
FOOD_CITIES = ["Oslo", "Porto", "Quito", "Riga", "Sucre", "Tunis", "Ulm", "Vigo", "Wels"]
LONG_TEXT = "A long description of a food distribution that goes on and on for the sake of the test " * 3


def city_id(name: str) -> str:
    return name.lower().translate(str.maketrans("éáè", "eae"))


def city_file(name: str, measures: list[tuple[str, str]]) -> str:
    """A fixture city file: `measures` are (topic, English text) pairs, the French text alike."""
    city_id_ = city_id(name)
    lines = [f"id: {city_id_}", f"name: {name}", "country: france", "measures:"]
    for i, (topic, text) in enumerate(measures):
        lines += [
            f"  - id: {city_id_}-{i}",
            f"    sources: [{SOURCE}]",
            f"    topics: [{topic}]",
            f'    text: {{en: "{text}", fr: "{text} (fr)"}}',
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def long_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The fixture knowledge base with 13 cities on masks and 9 verbose ones on food."""
    root = tmp_path / "knowledge"
    shutil.copytree(VALID_KB, root)
    for name in MASK_CITIES:
        extra = [("masks", f"{name} handed out masks."), ("masks", f"{name} sewed masks.")]
        extra += [("masks", f"{name} mask measure {i}.") for i in range(3)] if name == "Kobe" else []
        (root / "cities" / f"{city_id(name)}.yml").write_text(city_file(name, extra), encoding="utf-8")
    for name in FOOD_CITIES:
        measures = [("food", f"{name}: {LONG_TEXT}{i}") for i in range(3)]
        (root / "cities" / f"{city_id(name)}.yml").write_text(city_file(name, measures), encoding="utf-8")
    monkeypatch.setenv(KNOWLEDGE_ENV, str(root))
    yield root


def tracker(
    text: str,
    slots: dict[str, Any],
    lang: str = "en",
    channel: str = "telegram",
    entities: list[dict[str, Any]] | None = None,
    intent: str = "ask_cities_by_topic",
) -> Tracker:
    """The latest message `text` on `channel` ("socketio" is the web page), with these slots."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []}
    events = [{"event": "user", "text": text, "input_channel": channel}]
    return Tracker(
        f"{channel}:1", {"language": lang, **slots}, latest, events, False, None, {}, "action_listen"
    )


class Chat:
    """Slots carried from turn to turn, like the Rasa server's tracker."""

    def __init__(self, lang: str = "en", channel: str = "telegram"):
        self.slots: dict[str, Any] = {}
        self.lang, self.channel = lang, channel

    def ask(self, action: Any, text: str, intent: str = "ask_cities_by_topic", **found: str) -> list[Said]:
        entities = [entity(name, value, text) for name, value in found.items()]
        self.slots.update(found)
        said, events = run(action, tracker(text, dict(self.slots), self.lang, self.channel, entities, intent))
        self.slots.update(slot_events(events))
        return said


def plain(text: str) -> str:
    """`text` with French typography's no-break spaces as plain spaces (easier to write)."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def listed(text: str) -> list[str]:
    """The city names of a list reply, in the order shown (the bullet lines)."""
    return [line[2:] for line in text.splitlines() if line.startswith("• ")]


# --- Long lists.


def test_long_list_shows_the_first_eight_alphabetically_and_a_button_on_the_web(long_lists: Path) -> None:
    said = Chat(channel="socketio").ask(AnswerCitiesByTopic(), "Which cities made masks?", topic="masks")
    first, rest, source = said
    assert first.response == "utter_cities_by_topic_first"
    assert first.text.startswith(
        "13 cities have measures on protective masks. The first 8, in alphabetical order:"
    )
    assert listed(first.text) == MASKS_IN_ORDER[:PAGE_CITIES]
    assert "   – Aarhus handed out masks.\n   – Aarhus sewed masks." in first.text  # measures under the city
    assert [b["title"] for b in first.buttons] == MASKS_IN_ORDER[:PAGE_CITIES]
    assert rest.text == "…and 5 more."
    assert rest.buttons == [{"title": "Show the 5 others", "payload": "/ask_more"}]
    assert source.response == "utter_source_line"


def test_on_a_messaging_channel_the_rest_is_a_line_saying_more(long_lists: Path) -> None:
    said = Chat(channel="telegram").ask(AnswerCitiesByTopic(), "Which cities made masks?", topic="masks")
    assert said[1].text == "…and 5 more. Say “more” to see them."
    assert not said[1].buttons


def test_more_continues_where_the_list_stopped_then_ends(long_lists: Path) -> None:
    chat = Chat()
    chat.ask(AnswerCitiesByTopic(), "Which cities made masks?", topic="masks")
    assert chat.slots["list_pending"] == ["izmir", "jena", "kobe", "lyon", "nantes"]

    more = chat.ask(ShowMore(), "more", intent="ask_more")
    assert more[0].response == "utter_cities_by_topic_last"
    assert listed(more[0].text) == MASKS_IN_ORDER[PAGE_CITIES:]
    assert "   – Kobe mask measure 0.\n   (+2)" in more[0].text  # at most 3 measures per city in a list
    assert more[0].text.endswith("That is the whole list.")
    assert more[-1].response == "utter_source_line"
    assert chat.slots["list_pending"] is None

    again = chat.ask(ShowMore(), "more", intent="ask_more")
    assert again[0].response == "utter_more_nothing" and len(again) == 1


def test_more_with_nothing_pending_says_so_in_french(long_lists: Path) -> None:
    said = Chat(lang="fr").ask(ShowMore(), "la suite", intent="ask_more")
    assert said[0].text.startswith("Il n\u2019y a rien de plus à montrer")
    assert said[0].buttons  # topics to ask about instead


def test_more_after_another_question_does_not_resume_an_old_list(long_lists: Path) -> None:
    chat = Chat()
    chat.ask(AnswerCitiesByTopic(), "Which cities made masks?", topic="masks")
    chat.slots["last_question"] = "city_topic"  # what any other answer leaves
    assert chat.ask(ShowMore(), "more", intent="ask_more")[0].response == "utter_more_nothing"


def test_more_after_a_comparison_does_not_resume_the_list_before_it(long_lists: Path) -> None:
    chat = Chat()
    chat.ask(AnswerCitiesByTopic(), "Which cities made masks?", topic="masks")
    chat.ask(CompareCities(), "compare Lyon and Nantes on masks", intent="compare_cities")
    assert chat.slots["last_question"] == "compare_cities"
    assert chat.ask(ShowMore(), "more", intent="ask_more")[0].response == "utter_more_nothing"


def test_a_page_is_capped_in_characters_and_the_pages_cover_every_city_once(long_lists: Path) -> None:
    chat = Chat(lang="fr")
    said = chat.ask(AnswerCitiesByTopic(), "quelles villes pour les repas ?", topic="food")
    seen = listed(said[0].text)
    assert plain(said[0].text).startswith("10 villes ont des mesures sur le thème « alimentation et repas ».")
    assert 1 <= len(seen) < PAGE_CITIES
    assert plain(said[1].text) == f"…et {10 - len(seen)} autres. Dites « la suite » pour les voir."
    while chat.slots.get("list_pending"):
        page = chat.ask(ShowMore(), "la suite", intent="ask_more")
        assert len(page[0].text) < PAGE_CHARS + 200  # far below Telegram's 4,096
        seen += listed(page[0].text)
    assert seen == ["Évry-Courcouronnes", *FOOD_CITIES]


def test_a_short_list_is_whole_with_one_entry_per_city(long_lists: Path) -> None:
    said = Chat().ask(AnswerCitiesByTopic(), "who did distance learning?", topic="distance learning")
    assert said[0].response == "utter_cities_by_topic"
    assert listed(said[0].text) == ["Chefchaouen", "Mayo-Baléo"]
    assert all(s.response != "utter_list_rest_say_more" for s in said)


def test_a_few_verbose_cities_fit_one_page_shortened_without_and_n_more(
    long_lists: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cities whose measures in full outgrow a page, but fit it shortened: one page, no "more"."""
    kb = load_knowledge_base(long_lists)
    entries = topics.city_entries(kb, "schooling")
    monkeypatch.setattr(topics, "MEASURE_CHARS", 30)
    monkeypatch.setattr(topics, "PAGE_CHARS", len(topics.entry_lines(entries, "en")) + 5)
    assert not topics.fits_whole(entries, "en")
    said = Chat().ask(AnswerCitiesByTopic(), "who worked on schooling?", topic="schooling")
    assert said[0].response == "utter_cities_by_topic"
    assert "…" in said[0].text
    assert [s.response for s in said] == ["utter_cities_by_topic", "utter_source_line"]


def test_long_list_in_french_on_the_web(long_lists: Path) -> None:
    said = Chat(lang="fr", channel="socketio").ask(
        AnswerCitiesByTopic(), "quelles villes ont fait des masques ?"
    )
    assert plain(said[0].text).startswith(
        "13 villes ont des mesures sur le thème « masques de protection ». Les 8 premières"
    )
    assert "   – Aarhus handed out masks. (fr)" in said[0].text
    assert said[1].text == "…et 5 autres."
    assert said[1].buttons == [{"title": "Voir les 5 autres", "payload": "/ask_more"}]


# --- Comparisons.


def compare(
    text: str, lang: str = "en", slots: dict[str, Any] | None = None, **found: Any
) -> tuple[list[Said], dict[str, Any]]:
    entities = [
        entity(name, value, text)
        for name, values in found.items()
        for value in (values if isinstance(values, list) else [values])
    ]
    said, events = run(
        CompareCities(), tracker(text, slots or {}, lang, "telegram", entities, "compare_cities")
    )
    return said, slot_events(events)


def test_compare_on_a_topic_city_by_city_and_honest_about_missing_measures(long_lists: Path) -> None:
    said, slots = compare(
        "Compare Évry and Chefchaouen on masks", city=["Évry", "Chefchaouen"], topic="masks"
    )
    assert [s.response for s in said] == [
        "utter_compare_heading", "utter_compare_city", "utter_compare_city_none", "utter_source_line",
    ]  # fmt: skip
    assert said[0].text == "Évry-Courcouronnes and Chefchaouen on protective masks, city by city:"
    assert said[1].text.startswith("Évry-Courcouronnes:\n• ")
    assert said[2].text == "Chefchaouen: no measure on protective masks is stated in my sources."
    assert slots["compared_cities"] == ["evry-courcouronnes", "chefchaouen"] and slots["topic"] == "masks"


def test_compare_in_french_finds_cities_the_model_missed(long_lists: Path) -> None:
    said, _ = compare("compare Lyon et Nantes sur les masques", lang="fr", topic="masques")
    assert plain(said[0].text) == "Lyon et Nantes, thème « masques de protection », ville par ville :"
    assert plain(said[1].text).startswith("Lyon :\n• Lyon handed out masks. (fr)")
    assert plain(said[2].text).startswith("Nantes :")


def test_compare_without_topic_asks_which_with_shared_topics_first(long_lists: Path) -> None:
    said, slots = compare("Compare Évry and Mayo-Baléo", city=["Évry", "Mayo-Baléo"])
    assert said[0].response == "utter_compare_which_topic"
    assert "• Évry-Courcouronnes: schooling and educational continuity, school supplies, food" in said[0].text
    assert "• Mayo-Baléo: schooling" in said[0].text
    assert said[0].buttons[0]["payload"] == '/compare_cities{"topic": "schooling"}'
    # the button: no city in the message, the cities of the comparison from the slot
    again, _ = compare('/compare_cities{"topic": "schooling"}', slots=slots, topic="schooling")
    assert [s.response for s in again][:3] == [
        "utter_compare_heading",
        "utter_compare_city",
        "utter_compare_city",
    ]


def test_compare_with_one_known_city_is_the_city_topic_answer(long_lists: Path) -> None:
    said, _ = compare("compare Évry and Atlantis on masks", city=["Évry", "Atlantis"], topic="masks")
    assert said[0].text == "I have no information about Atlantis."
    assert said[1].response.startswith("utter_city_topic")  # Évry's mask measure was said in the debate


def test_compare_with_no_city_asks_which(long_lists: Path) -> None:
    said, _ = compare("compare them")
    assert said[0].response == "utter_compare_ask_cities" and said[0].buttons


def test_compare_on_the_real_knowledge_base_cites_its_sources() -> None:
    said, _ = compare("Compare Évry and Chefchaouen on food", city=["Évry", "Chefchaouen"], topic="food")
    assert said[0].response == "utter_compare_heading"
    assert said[-1].response in ("utter_source_line", "utter_sources_line")
    assert "Évry-Courcouronnes" in all_text(said) and "Chefchaouen" in all_text(said)


# --- Comparisons over the real knowledge base.


def test_compare_real_cities_on_masks_official_first_and_more_is_no_bullet() -> None:
    said, _ = compare("compare Osan and Goyang on masks", city=["Osan", "Goyang"], topic="masks")
    assert [s.response for s in said][:3] == [
        "utter_compare_heading",
        "utter_compare_city",
        "utter_compare_city",
    ]
    osan = said[1].text
    assert osan.startswith("Osan:\n• ") and "TTASUM" in osan
    assert osan.endswith("\n(+2)") and "• (+" not in osan, "'(+2)' is no measure: no bullet"
    assert said[2].text.startswith("Goyang:\n• ")


def test_compare_cities_without_any_measure_says_so_instead_of_asking_a_topic() -> None:
    for lang, lima, bogota in (
        ("en", "Lima (Peru) presented in the GNLC webinar series on 9 April", "Bogotá (Colombia) presented"),
        ("fr", "Lima (Pérou) a présenté ses actions dans la série", "Bogotá (Colombie) a présenté"),
    ):
        said, _ = compare("compare Lima and Bogota", lang=lang, city=["Lima", "Bogota"])
        # no topic to ask about: what is known of each city, not "which topic?" with none to offer
        assert [s.response for s in said] == ["utter_city_series_only"] * 2 + ["utter_sources_line"]
        assert plain(said[0].text).startswith(plain(lima)) and plain(said[1].text).startswith(plain(bogota))
