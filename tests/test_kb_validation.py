"""Bad knowledge files are rejected with every problem located (file, line, field) and explained."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from citybot.kb import Issue, KnowledgeBaseError, load_knowledge_base

BAD_CASES = Path(__file__).parent / "fixtures" / "kb" / "bad"


def issues_of(root: Path) -> list[Issue]:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(root)
    return caught.value.issues


def line_of(path: Path, marker: str) -> int:
    """1-based number of the first line of `path` containing `marker` (keeps tests honest
    about line numbers without hard-coding them)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in {path}")


# case folder, file inside it, marker on the expected line, expected field, words of the message
CASES = [
    (
        "yaml_syntax",
        "cities/gdynia.yml",
        "aliases: [",
        "",
        "YAML syntax error: the [ opened on line 4 is not closed",
    ),
    (
        "no_source",
        "cities/kashan.yml",
        "- id: kashan-test-measure",
        "measures[0]",
        "the measure names no source: add 'sources: [id]'",
    ),
    (
        "unknown_source",
        "cities/kashan.yml",
        "sources: [",
        "measures[0].sources[1]",
        "unknown source id 'uil-webinar-2020-04-33-en' (did you mean 'uil-webinar-2020-04-23-en'?",
    ),
    (
        "bad_source_file",
        "sources/uil-webinar-2020-04-23-en.yml",
        "official: true",
        "official",
        "'true' is not allowed here (choose one of: yes, no)",
    ),
    (
        "fact_topics",
        "organisations/aimf.yml",
        "topics: [information_campaigns]",
        "facts[0].topics",
        "unknown field 'topics': no answer reads the topics of an organisation fact",
    ),
    (
        "aspect_description",
        "organisations/aimf.yml",
        "aspect: description",
        "facts[0].aspect",
        "'description' is not allowed here (choose one of: aims, leadership, covid_response, publications, themes)",
    ),
    (
        "featured_unknown",
        "series/gnlc-covid-19.yml",
        "featured_webinar:",
        "featured_webinar",
        "unknown webinar id '2020-04-24' (did you mean '2020-04-23'?",
    ),
    ("yaml_tab", "cities/gdynia.yml", "\tfr:", "", "is indented with a tab; YAML indents with spaces only"),
    (
        "yaml_colon",
        "cities/gdynia.yml",
        "en: Two priorities",
        "",
        "the text after 'en:' contains ': '; put the whole text in double quotes",
    ),
    ("yaml_indent", "cities/gdynia.yml", "   fr:", "", "is not indented like the lines around it"),
    (
        "yaml_quote",
        "cities/gdynia.yml",
        'en: "A port',
        "",
        "the text in quotes that starts on line 6 (column 7) is never closed",
    ),
    (
        "unknown_topic",
        "cities/kashan.yml",
        "[scool]",
        "measures[0].topics[0]",
        "unknown topic id 'scool' (did you mean 'schooling'?",
    ),
    (
        "missing_french",
        "cities/chefchaouen.yml",
        "text:",
        "measures[0].text.fr",
        "the French text is missing",
    ),
    (
        "missing_english",
        "organisations/aimf.yml",
        "    text:",
        "facts[0].text.en",
        "the English text is missing",
    ),
    (
        "duplicate_id",
        "cities/gdynia.yml",
        "- id: evry-food-bank",
        "measures[0].id",
        "duplicate id 'evry-food-bank' also defined in",
    ),
    (
        "webinar_unknown_city",
        "webinars/2020-04-08.yml",
        "[gdynia, lagos]",
        "presenting_cities[1]",
        "webinar names city 'lagos' which has no file in knowledge/cities/",
    ),
    ("empty_measure", "cities/mayo-baleo.yml", 'text: {en: ""', "measures[1].text", "measure has empty text"),
    (
        "unknown_person",
        "cities/evry-courcouronnes.yml",
        "reported_by: danielle-valerio",
        "measures[0].reported_by",
        "unknown person id 'danielle-valerio' (did you mean 'danielle-valero'?",
    ),
]


@pytest.mark.parametrize("case, relative, marker, field, words", CASES, ids=[c[0] for c in CASES])
def test_each_bad_input_gives_one_located_issue(kb_copy, case, relative, marker, field, words):
    root = kb_copy(case)
    issues = issues_of(root)
    assert len(issues) == 1, "\n".join(map(str, issues))
    issue = issues[0]
    assert issue.file == str(root / relative)
    assert issue.line == line_of(BAD_CASES / case / relative, marker)
    assert issue.field == field
    assert words in issue.message


def test_syntax_error_names_line_and_column(kb_copy):
    issue = issues_of(kb_copy("yaml_syntax"))[0]
    assert "add ] where it ends, and separate its items with commas (error found at line 5, column 8)" in (
        issue.message
    )


def test_other_syntax_errors_keep_the_parser_words_with_line_and_column(kb_copy):
    # no plain-words rule for a stray "%" directive: the parser's message, located, is still shown
    issue = issues_of(kb_copy(files={"cities/gdynia.yml": CITY + "%TAG\n"}))[0]
    assert issue.line is not None and issue.message.startswith("YAML syntax error: ")


def test_unreadable_city_file_does_not_cascade_into_unknown_city_errors(kb_copy):
    # gdynia.yml cannot be parsed, but the webinar naming 'gdynia' must not be blamed for it
    issues = issues_of(kb_copy("yaml_syntax"))
    assert [i.file.endswith("gdynia.yml") for i in issues] == [True]


def test_several_problems_in_several_files_are_all_reported_at_once(kb_copy):
    root = kb_copy("unknown_topic", "missing_french", "webinar_unknown_city", "unknown_person")
    error = pytest.raises(KnowledgeBaseError, load_knowledge_base, root).value
    located = {(Path(i.file).name, i.line) for i in error.issues}
    assert located == {
        ("kashan.yml", line_of(BAD_CASES / "unknown_topic/cities/kashan.yml", "[scool]")),
        ("chefchaouen.yml", line_of(BAD_CASES / "missing_french/cities/chefchaouen.yml", "text:")),
        (
            "2020-04-08.yml",
            line_of(BAD_CASES / "webinar_unknown_city/webinars/2020-04-08.yml", "[gdynia, lagos]"),
        ),
        (
            "evry-courcouronnes.yml",
            line_of(
                BAD_CASES / "unknown_person/cities/evry-courcouronnes.yml", "reported_by: danielle-valerio"
            ),
        ),
    }
    # str() prints one issue per line, "file:line: field: message"
    lines = str(error).splitlines()
    assert len(lines) == 4
    assert all(line.startswith(str(root)) and ".yml:" in line for line in lines)


def test_issues_are_sorted_by_file_then_line(kb_copy):
    root = kb_copy(
        files={
            "cities/gdynia.yml": (
                "id: gdynia\nname: Gdynia\ncountry: polan\nmeasures:\n"
                "  - id: gdynia-x\n    topics: [fod]\n    text: {en: Example., fr: Exemple.}\n"
                + MEASURE_SOURCED
            )
        }
    )
    issues = issues_of(root)
    assert [(i.line, i.field) for i in issues] == [(3, "country"), (6, "measures[0].topics[0]")]
    assert "unknown country id 'polan' (did you mean 'poland'?" in issues[0].message


CITY = "id: gdynia\nname: Gdynia\ncountry: poland\n"
# appended last so that the expected line numbers stay those of the lines above
SOURCED = "sources: [uil-webinar-2020-04-23-en]\n"
MEASURE_SOURCED = "    sources: [uil-webinar-2020-04-23-en]\n"


@pytest.mark.parametrize(
    "content, line, field, words",
    [
        (CITY + "country: france\n", 4, "country", "duplicate key 'country' (first written on line 3)"),
        (CITY + "contry: poland\n", 4, "contry", "unknown field 'contry' (allowed here:"),
        (
            CITY + "network_status: partner\n" + SOURCED,
            4,
            "network_status",
            "'partner' is not allowed here (choose one of: member, prospective)",
        ),
        (CITY + "aliases: Gdingen\n", 4, "aliases", "expected a list"),
        (CITY + "context: Gdynia is a port.\n" + SOURCED, 4, "context", "expected a text in both languages"),
        (CITY + "context:\n" + SOURCED, 4, "context", "is empty"),
        (
            CITY + "context: {en: A port., fr: Un port., de: Ein Hafen.}\n" + SOURCED,
            4,
            "context.de",
            "unknown language 'de'",
        ),
        (CITY + "context: {en: A port., fr: ''}\n" + SOURCED, 4, "context.fr", "the French text is empty"),
        ("id: Gdynia\nname: Gdynia\ncountry: poland\n", 1, "id", "'Gdynia' is not a valid id"),
        ("id: gdynia\nname: Gdynia\n", 1, "country", "the required field 'country' is missing"),
        (
            "id: gdynia-city\nname: Gdynia\ncountry: poland\n",
            1,
            "id",
            "does not match the file name 'gdynia.yml'",
        ),
        (
            CITY
            + "measures:\n  - id: gdynia-x\n    topics: []\n    text: {en: A., fr: B.}\n"
            + MEASURE_SOURCED,
            6,
            "measures[0].topics",
            "the list is empty",
        ),
        (
            CITY + "measures:\n  - id: gdynia-x\n    topics: [food]\n" + MEASURE_SOURCED,
            5,
            "measures[0]",
            "measure has no text",
        ),
        (
            CITY + "measures:\n  - id: gdynia-x\n    topics: [food]\n    text: {en: A., fr: B.}\n"
            "    webinar: 2020-04-23\n" + MEASURE_SOURCED,
            8,
            "measures[0].webinar",
            "webinar '2020-04-23' does not list 'gdynia' among its presenting_cities",
        ),
        (
            CITY + "aliases: [CHEFCHAOUEN]\n",
            4,
            "aliases[0]",
            "the name 'CHEFCHAOUEN' already designates city 'chefchaouen'",
        ),
        ("", None, "", "the file is empty"),
        ("- id: gdynia\n", 1, "", "expected fields written 'name: value'"),
    ],
)
def test_city_file_mistakes(kb_copy, content, line, field, words):
    issues = issues_of(kb_copy(files={"cities/gdynia.yml": content}))
    assert len(issues) == 1, "\n".join(map(str, issues))
    assert (issues[0].line, issues[0].field) == (line, field)
    assert words in issues[0].message


def test_fact_aspect_and_webinar_dates_are_checked(kb_copy):
    root = kb_copy(
        files={
            "webinars/2020-03-19.yml": "id: 2020-03-19\ndate: 2020-02-30\ntitle: {en: T, fr: T}\n"
            "summary: {published: 12/05/2020, publisher: uil, sources: [uil-webinar-2020-04-23-en]}\n"
            + SOURCED,
            "organisations/aimf.yml": "id: aimf\nname: {en: A, fr: A}\nfacts:\n"
            "  - id: aimf-x\n    aspect: history\n    text: {en: A, fr: B}\n" + MEASURE_SOURCED,
        }
    )
    messages = {(Path(i.file).name, i.field): i.message for i in issues_of(root)}
    assert "'history' is not allowed here" in messages[("aimf.yml", "facts[0].aspect")]
    assert messages[("2020-03-19.yml", "date")] == "'2020-02-30' is not a real date"
    assert "is not a date written YYYY-MM-DD" in messages[("2020-03-19.yml", "summary.published")]
    assert len(messages) == 3


def test_person_ids_are_unique_across_the_whole_kb(kb_copy):
    root = kb_copy(
        files={
            "cities/gdynia.yml": CITY
            + "representatives:\n  - id: pierre-baillet\n    name: Pierre Baillet\n"
            + SOURCED
        }
    )
    issues = issues_of(root)
    assert len(issues) == 1
    # cities are read before organisations, so the organisation's copy is the duplicate
    assert (Path(issues[0].file).name, issues[0].field) == ("aimf.yml", "people[0].id")
    assert issues[0].message == (
        f"duplicate id 'pierre-baillet' also defined in {root / 'cities' / 'gdynia.yml'}:5"
    )


def test_webinar_references_are_checked(kb_copy):
    root = kb_copy(
        files={
            "webinars/2020-04-23.yml": (
                "id: 2020-04-23\ndate: 2020-04-23\nseries: gnlc\ntitle: {en: T, fr: T}\nhost: unesco\n"
                "moderator: marie\npresenting_organisations: [amf]\n"
                "presenting_cities: [evry-courcouronnes, chefchaouen, mayo-baleo]\n"
                "remarks:\n  - {id: r1, part: opening, speaker: atchoarena, text: {en: A, fr: B},\n"
                "     sources: [uil-webinar-2020-04-23-en]}\n" + SOURCED
            )
        }
    )
    fields = {i.field: i.message for i in issues_of(root)}
    assert len(fields) == 5, fields
    assert fields["series"].startswith("unknown series id 'gnlc'")
    assert fields["host"].startswith("unknown organisation id 'unesco'")
    assert fields["moderator"].startswith("unknown person id 'marie'")
    assert fields["presenting_organisations[0]"].startswith("unknown organisation id 'amf'")
    assert fields["remarks[0].speaker"].startswith("unknown person id 'atchoarena'")


def test_missing_files_and_misplaced_files_are_reported(kb_copy):
    root = kb_copy(
        files={
            "topics.yml": None,
            "cities/france/paris.yml": CITY,
            "notes.yml": "a: b\n",
            "README.md": "ignored: not YAML",
        }
    )
    messages = {Path(i.file).relative_to(root).as_posix(): i.message for i in issues_of(root)}
    assert messages.pop("topics.yml") == "the file is missing"
    assert "does not read this file" in messages.pop("cities/france/paris.yml")
    assert "does not read this file" in messages.pop("notes.yml")
    # every topic id used by the measures is now unknown; nothing else is wrong
    assert all("unknown topic id" in m for m in messages.values())


def test_missing_folder_is_a_clear_error(tmp_path):
    issues = issues_of(tmp_path / "nowhere")
    assert [str(i) for i in issues] == [f"{tmp_path / 'nowhere'}: knowledge base folder not found"]


def test_non_utf8_file_is_reported(kb_copy):
    root = kb_copy()
    (root / "cities" / "gdynia.yml").write_bytes("name: Gdyñia\n".encode("latin-1"))
    issues = issues_of(root)
    assert len(issues) == 1 and "not UTF-8" in issues[0].message


def test_issue_str_format():
    assert str(
        Issue("knowledge/cities/evry.yml", 14, "measures[2].text.fr", "the French text is missing")
    ) == ("knowledge/cities/evry.yml:14: measures[2].text.fr: the French text is missing")
    assert str(Issue("knowledge/topics.yml", None, "", "the file is missing")) == (
        "knowledge/topics.yml: the file is missing"
    )


def test_real_knowledge_base_is_valid():
    load_knowledge_base(Path(__file__).resolve().parents[1] / "knowledge")


def test_duplicate_key_does_not_hide_other_problems_of_the_file(kb_copy):
    issues = issues_of(kb_copy(files={"cities/gdynia.yml": CITY + "name: Gdingen\nstatus: x\n"}))
    assert [(i.line, i.field) for i in issues] == [(4, "name"), (5, "status")]


SOURCE = (
    "id: uil-webinar-2020-04-23-en\n"
    'url: "https://uil.unesco.org/x"\n'
    "title: A title\n"
    "publisher: uil\n"
    "published: 2020-05-12\n"
    "language: en\n"
    "official: yes\n"
)


@pytest.mark.parametrize(
    "content, line, field, words",
    [
        (SOURCE.replace("https://uil.unesco.org/x", "uil.unesco.org/x"), 2, "url", "is not a web address"),
        (SOURCE.replace("language: en", "language: de"), 6, "language", "(choose one of: en, fr)"),
        (SOURCE.replace("2020-05-12", "12 May 2020"), 5, "published", "is not a date written YYYY-MM-DD"),
        (SOURCE.replace("publisher: uil", "publisher: uli"), 4, "publisher", "unknown organisation id 'uli'"),
        (SOURCE.replace("official: yes\n", ""), 1, "official", "the required field 'official' is missing"),
        (
            SOURCE.replace("id: uil-webinar-2020-04-23-en", "id: uil-2020-04-23"),
            1,
            "id",
            "does not match the file name 'uil-webinar-2020-04-23-en.yml'",
        ),
    ],
)
def test_source_file_mistakes(kb_copy, content, line, field, words):
    issues = issues_of(kb_copy(files={"sources/uil-webinar-2020-04-23-en.yml": content}))
    assert len(issues) == 1, "\n".join(map(str, issues))
    assert (issues[0].line, issues[0].field) == (line, field)
    assert words in issues[0].message


def test_a_publisher_that_is_no_organisation_is_written_by_name(kb_copy):
    root = kb_copy(
        files={
            "sources/uil-webinar-2020-04-23-en.yml": SOURCE.replace(
                "publisher: uil", "publisher: Ville d'Osan"
            )
        }
    )
    source = load_knowledge_base(root).source("uil-webinar-2020-04-23-en")
    assert (source.publisher, source.official) == ("Ville d'Osan", True)


def test_city_facts_need_the_file_sources(kb_copy):
    # the city's own facts (status, representatives, context) are sourced at the top of the file
    issues = issues_of(
        kb_copy(files={"cities/gdynia.yml": CITY + "network_status: member\ncontext: {en: A, fr: B}\n"})
    )
    assert [(i.line, i.field) for i in issues] == [(4, "network_status")]
    assert "the file states facts (network_status, context) but names no source" in issues[0].message


def test_every_kind_of_fact_needs_a_source(kb_copy):
    files = {
        "webinars/2020-03-19.yml": "id: 2020-03-19\ndate: 2020-03-19\ntitle: {en: T, fr: T}\n"
        "remarks:\n  - {id: r1, part: opening, text: {en: A, fr: B}}\n"
        "summary: {published: 2020-05-12, publisher: uil}\n",
        "organisations/aimf.yml": "id: aimf\nname: {en: U, fr: U}\ndescription: {en: A, fr: B}\n"
        "facts:\n  - {id: aimf-x, aspect: aims, text: {en: A, fr: B}}\n",
        "series/gnlc-covid-19.yml": "id: gnlc-covid-19\ntitle: {en: S, fr: S}\nfeatured_webinar: 2020-04-23\n",
    }
    found = {(Path(i.file).name, i.field) for i in issues_of(kb_copy(files=files))}
    assert found == {
        ("2020-03-19.yml", ""),
        ("2020-03-19.yml", "remarks[0]"),
        ("2020-03-19.yml", "summary"),
        ("aimf.yml", "description"),
        ("aimf.yml", "facts[0]"),
        ("gnlc-covid-19.yml", ""),
    }


def test_featured_webinar_must_belong_to_its_series(kb_copy):
    root = kb_copy(
        files={
            "series/other.yml": "id: other\ntitle: {en: O, fr: O}\nfeatured_webinar: 2020-04-23\n" + SOURCED,
        }
    )
    issues = issues_of(root)
    assert [(Path(i.file).name, i.field) for i in issues] == [("other.yml", "featured_webinar")]
    assert "webinar '2020-04-23' is not part of this series (its file says series: gnlc-covid-19)" in (
        issues[0].message
    )


@pytest.mark.parametrize(
    "relative, content, field, words",
    [
        (
            "cities/gdynia.yml",
            CITY + SOURCED + "representative:\n  id: x\n  name: X\n",
            "representative",
            "write 'representatives:' with one '- id: ...' block per person",
        ),
        (
            "webinars/2020-03-19.yml",
            "id: 2020-03-19\ndate: 2020-03-19\ntitle: {en: T, fr: T}\n" + SOURCED + "summary:\n"
            "  published: 2020-05-12\n  publisher: uil\n  sources: [uil-webinar-2020-04-23-en]\n"
            "  photo_credit: Someone\n",
            "summary.photo_credit",
            "the bot never shows photo credits",
        ),
    ],
)
def test_fields_the_bot_ignores_are_rejected(kb_copy, relative, content, field, words):
    issues = issues_of(kb_copy(files={relative: content}))
    assert [i.field for i in issues] == [field]
    assert words in issues[0].message


def test_several_representatives_are_all_loaded(kb_copy):
    root = kb_copy(
        files={
            "cities/gdynia.yml": CITY
            + SOURCED
            + "representatives:\n  - {id: anna-x, name: Anna X}\n  - {id: jan-y, name: Jan Y}\n"
        }
    )
    kb = load_knowledge_base(root)
    assert [p.id for p in kb.city("gdynia").representatives] == ["anna-x", "jan-y"]
    assert kb.person("jan-y").city == "gdynia"


def test_real_knowledge_base_every_fact_is_sourced_from_a_registered_source():
    kb = load_knowledge_base(Path(__file__).resolve().parents[1] / "knowledge")
    records = kb.sourced_records()
    assert len(records) >= 70
    assert all(sources and set(sources) <= set(kb.sources) for _, sources in records)
    kinds = {kind for kind, _ in records}
    assert kinds == {
        "measure",
        "organisation fact",
        "remark",
        "city",
        "organisation",
        "webinar",
        "summary",
        "series",
    }
    english = kb.source("uil-webinar-2020-04-23-en")
    assert (english.publisher, english.published, english.language, english.official) == (
        "uil",
        datetime.date(2020, 5, 12),
        "en",
        True,
    )
    french = kb.source("uil-webinar-2020-04-23-fr")
    assert (french.published, french.language) == (datetime.date(2020, 5, 13), "fr")
    assert kb.featured_webinar() is kb.webinars["2020-04-23"]


@pytest.mark.parametrize(
    "relative, content, field",
    [
        (
            "organisations/who.yml",
            "id: who\nacronym: WHO\nname: {en: World Health Organization, fr: OMS}\n",
            "acronym",
        ),
        (
            "cities/gdynia.yml",
            "id: gdynia\nname: Gdynia\naliases: [Gdingen, Quand]\ncountry: poland\n",
            "aliases[1]",
        ),
    ],
)
def test_a_name_that_is_an_everyday_word_is_refused(kb_copy, relative, content, field):
    # "who" would make every "who presented ...?" a question about the World Health Organization
    issues = issues_of(kb_copy(files={relative: content}))
    assert [(i.file.endswith(relative), i.field) for i in issues] == [(True, field)], issues
    assert "everyday word" in issues[0].message


def test_a_country_s_words_are_written_per_language(kb_copy):
    """Staff adding a country's adjectives as a plain list learn how to write them."""
    countries = (kb_copy() / "countries.yml").read_text(encoding="utf-8")
    wrong = countries.replace("  - id: poland\n", "  - id: poland\n    adjectives: [Polish, polonais]\n", 1)
    assert wrong != countries
    messages = {i.field: i.message for i in issues_of(kb_copy(files={"countries.yml": wrong}))}
    assert (
        "expected words in each language, written {en: [first, second]" in messages["countries[3].adjectives"]
    )
