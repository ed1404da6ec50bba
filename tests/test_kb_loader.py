"""Loading turns the YAML files into the right immutable records."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import pytest

from citybot.kb import KnowledgeBase, Text, load_knowledge_base
from citybot.kb.errors import KnowledgeBaseError

KNOWLEDGE_DIR = Path(__file__).resolve().parents[1] / "knowledge"
VALID_KB_DIR = Path(__file__).resolve().parent / "fixtures" / "kb" / "valid"


def test_fixture_kb_counts(fixture_kb: KnowledgeBase):
    assert sorted(fixture_kb.cities) == [
        "chefchaouen",
        "evry-courcouronnes",
        "gdynia",
        "kashan",
        "mayo-baleo",
    ]
    assert len(fixture_kb.topics) == 6 and len(fixture_kb.countries) == 5
    assert sorted(fixture_kb.organisations) == ["aimf", "uil"]
    assert list(fixture_kb.webinars) == ["2020-03-19", "2020-04-08", "2020-04-23"]  # by date
    assert list(fixture_kb.series) == ["gnlc-covid-19"]


def test_city_record(fixture_kb: KnowledgeBase):
    city = fixture_kb.cities["evry-courcouronnes"]
    assert (city.name, city.country, city.network_status) == ("Évry-Courcouronnes", "france", "member")
    assert city.aliases == ("Évry",)
    (representative,) = city.representatives
    assert representative.name == "Danielle Valéro"
    assert representative.city == "evry-courcouronnes"
    assert representative.role.fr == "première adjointe au maire d'Évry"
    assert [m.id for m in city.measures] == [
        "evry-free-school-supplies",
        "evry-food-bank",
        "evry-handmade-masks",
    ]
    supplies = city.measures[0]
    assert supplies.topics == ("school_supplies", "schooling")
    assert supplies.city == "evry-courcouronnes"
    assert (supplies.reported_by, supplies.webinar, supplies.part) == (
        "danielle-valero",
        "2020-04-23",
        "presentation",
    )
    assert city.measures[2].part == "debate"


def test_optional_fields_have_defaults(fixture_kb: KnowledgeBase):
    gdynia = fixture_kb.cities["gdynia"]
    assert (
        gdynia.aliases,
        gdynia.network_status,
        gdynia.representatives,
        gdynia.context,
        gdynia.measures,
    ) == ((), None, (), None, ())
    assert fixture_kb.cities["chefchaouen"].measures[0].part == "presentation"


def test_ids_that_look_like_dates_stay_text_and_dates_become_dates(fixture_kb: KnowledgeBase):
    webinar = fixture_kb.webinars["2020-04-23"]
    assert webinar.id == "2020-04-23"
    assert webinar.date == datetime.date(2020, 4, 23)
    assert webinar.summary.published == datetime.date(2020, 5, 12)
    assert webinar.summary.publisher == "uil"
    assert webinar.remarks[0].speaker == "david-atchoarena"
    assert webinar.language == Text("French", "français")
    assert fixture_kb.webinars["2020-04-08"].other_presenters == (
        Text("experts from Germany", "des experts d'Allemagne"),
    )


def test_organisation_and_people(fixture_kb: KnowledgeBase):
    aimf = fixture_kb.organisations["aimf"]
    assert aimf.short_name() == "AIMF"
    assert aimf.facts[0].organisation == "aimf" and aimf.facts[0].aspect == "covid_response"
    assert sorted(fixture_kb.people) == [
        "danielle-valero",
        "david-atchoarena",
        "emmanual-fecwa",
        "marie-macauley",
        "mohamed-sefiani",
        "pierre-baillet",
    ]
    baillet = fixture_kb.person("pierre-baillet")
    assert baillet.organisation == "aimf" and baillet.city is None
    assert baillet.display_name("fr") == "M. Pierre Baillet"
    uil = [p.id for p in fixture_kb.people.values() if p.organisation == "uil"]
    assert uil == ["david-atchoarena", "marie-macauley"]


def test_multiline_texts_are_stripped(fixture_kb: KnowledgeBase):
    text = fixture_kb.cities["evry-courcouronnes"].measures[0].text
    assert text.en.startswith("School supplies") and not text.en.endswith("\n")


def test_text_get_picks_the_language():
    text = Text(en="radio lessons", fr="cours à la radio")
    assert text.get("fr") == text.get("FR") == text.get("fr-CA") == "cours à la radio"
    assert text.get("en") == text.get(None) == text.get("de") == "radio lessons"


def test_records_are_immutable(fixture_kb: KnowledgeBase):
    with pytest.raises(dataclasses.FrozenInstanceError):
        fixture_kb.cities["gdynia"].name = "Gdingen"  # type: ignore[misc]
    with pytest.raises(TypeError):
        fixture_kb.cities["paris"] = fixture_kb.cities["gdynia"]  # type: ignore[index]


def test_unknown_ids_raise_a_clear_key_error(fixture_kb: KnowledgeBase):
    with pytest.raises(KeyError, match="unknown city id 'lagos' \\(known: chefchaouen, "):
        fixture_kb.city("lagos")
    with pytest.raises(KeyError, match="unknown topic id 'scool'"):
        fixture_kb.measures_for("gdynia", "scool")


def test_load_accepts_str_paths():
    assert sorted(load_knowledge_base(str(VALID_KB_DIR)).cities) == sorted(
        load_knowledge_base(VALID_KB_DIR).cities
    )


def test_real_knowledge_base_loads_and_finds_a_misspelt_city():
    # How long loading takes is a benchmark figure (docs/benchmarks.md), not a test: a timed
    # assertion fails on a busy machine for reasons that are not the code's.
    kb = load_knowledge_base(KNOWLEDGE_DIR)
    assert kb.find_city("chefchauen") is not None


def test_real_kb_every_text_is_bilingual(kb: KnowledgeBase):
    texts = [m.text for c in kb.cities.values() for m in c.measures]
    texts += [f.text for o in kb.organisations.values() for f in o.facts]
    texts += [r.text for w in kb.webinars.values() for r in w.remarks]
    assert texts
    assert all(t.en.strip() and t.fr.strip() for t in texts)


def test_the_staff_guide_example_city_is_valid(kb_copy):
    """docs/knowledge-base.md shows how to add a city: its example must pass validation."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "knowledge-base.md").read_text("utf-8")
    example = guide.split("Create `knowledge/cities/villeneuve.yml`:\n\n```yaml\n")[1].split("```")[0]
    source = guide.split("```yaml\n# knowledge/sources/villeneuve-news-2020-05-20.yml\n")[1].split("```")[0]
    root = kb_copy(
        files={
            "cities/villeneuve.yml": example,
            "sources/villeneuve-news-2020-05-20.yml": source,
            "webinars/2020-05-07.yml": "id: 2020-05-07\ndate: 2020-05-07\ntitle: {en: E, fr: E}\n"
            "presenting_cities: [villeneuve]\nsources: [villeneuve-news-2020-05-20]\n",
        }
    )
    kb = load_knowledge_base(root)
    assert kb.find_city("Villeneuve sur Mer").city.id == "villeneuve"
    assert [m.id for m in kb.measures_for("villeneuve", "food")] == ["villeneuve-free-meals"]
    assert kb.measures_for("villeneuve", "food")[0].sources == ("villeneuve-news-2020-05-20",)
    page = kb.source("villeneuve-news-2020-05-20")
    assert (page.publisher, page.published, page.language, page.official) == (
        "Ville de Villeneuve-sur-Mer",
        datetime.date(2020, 5, 20),
        "fr",
        True,
    )


def test_the_staff_guide_featured_webinar_line_is_the_real_one():
    """The guide's featured_webinar example is the line of the real series file."""
    root = Path(__file__).resolve().parents[1]
    guide = (root / "docs" / "knowledge-base.md").read_text("utf-8")
    line = guide.split("# knowledge/series/gnlc-covid-19.yml\n")[1].splitlines()[0]
    assert line in (root / "knowledge" / "series" / "gnlc-covid-19.yml").read_text("utf-8").splitlines()


def test_yes_no_words_stay_text(kb_copy):
    root = kb_copy(files={"cities/gdynia.yml": "id: gdynia\nname: Yes\ncountry: poland\naliases: [off, N]\n"})
    city = load_knowledge_base(root).cities["gdynia"]
    assert (city.name, city.aliases) == ("Yes", ("off", "N"))


def test_a_reload_after_one_save_parses_only_the_saved_file_and_still_reports_its_mistakes(
    kb_copy, monkeypatch
):
    """Each file is parsed and shape-checked once per version (citybot.kb.loader's cache): a
    reload after staff save one file reads that one again, and a broken save is still reported."""
    from citybot.kb import loader

    folder = kb_copy()
    load_knowledge_base(folder)
    parsed: list[str] = []
    real_read = loader.read_yaml_file

    def counting_read(path, display):
        parsed.append(display)
        return real_read(path, display)

    monkeypatch.setattr(loader, "read_yaml_file", counting_read)
    city = folder / "cities" / "chefchaouen.yml"
    city.write_text(city.read_text(encoding="utf-8") + "# saved\n", encoding="utf-8")
    load_knowledge_base(folder)
    assert [Path(p).name for p in parsed] == ["chefchaouen.yml"]
    good = city.read_text(encoding="utf-8")
    city.write_text(good.replace("country:", "contry:", 1), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="chefchaouen.yml"):
        load_knowledge_base(folder)
    city.write_text(good, encoding="utf-8")
    assert load_knowledge_base(folder).cities["chefchaouen"]
