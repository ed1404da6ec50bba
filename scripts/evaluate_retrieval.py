#!/usr/bin/env python
"""Evaluate fact retrieval end to end: the questions of tests/retrieval/, answered by the real bot.

    .venv/bin/python scripts/evaluate_retrieval.py [--model models] [--lang en --lang fr]
                                                    [--set open --set blind] [--questions FILE]
                                                    [--out results/retrieval]

Each question is parsed by the trained model, in this process (models/: intent, entities and the
language guess of the pipeline's own detector), then answered as the Rasa server would have the
action server answer a first message: the tracker holds the intent, the entities, the slots Rasa
fills from them (bot/domain.yml's `from_entity` mappings) and the `language` slot the language
policy would set (`citybot.language.decision.message_language`), with no history. The action is
the one data/rules.yml maps the intent to (an intent the rules answer with a response gets no
fact), or the follow-up answer for a greeting or thanks naming a city, topic or organisation, as
the greeting policy decides; it runs through `action.answer_precisely(Reply(...))` (as `KnowledgeAction.run`), timed, and `Reply.said` is what it said.

Scores (docs/benchmarks.md):
- precision@1: the first id the answer said is one of the question's `facts`;
- recall@3: the share of the question's facts (at most 3 counted) among the first 3 ids said;
- reverse questions: precision and recall of the cities the answer named (the cities of the
  measures and cities it said) against the question's `cities`;
- p50/p95 of the action's own time (`answer`), in milliseconds.

Twenty-eight parts: open (tests/retrieval/<lang>.yml), dev, dev2 ... dev26
(tests/retrieval/dev*/<lang>.yml; dev11, dev13, dev15 and dev19 to dev24 in English only, dev25 and dev26 in French only; each written later by another hand, to
measure changes on questions nobody had tuned on, then read), whose misses are printed to guide the work, and blind (tests/retrieval/blind/<lang>.yml), of
which only the figures are printed: nobody tunes on its errors. `--questions FILE` evaluates one file of the same format
as an open part (a new set being written). Writes results/retrieval/summary.json and one
<part>-<lang>.json per file (the blind ones without their questions' answers).

`--index` scores the retrieval core alone, without the model or the actions (to calibrate it while
the actions change): each question's facts ranked by `kb.fact_index.rank` inside the city or
speaker its text names and the kinds of fact its pattern asks for (`IndexOnly`), reverse questions
listed by `matching`; person and city questions, whose answers are not facts, are left out.

`--sweep` calibrates `matching` (citybot/retrieval/index.py: MIN_SCORE, RELATIVE_SCORE) on the
reverse questions of the parts whose errors are printed (all but blind): the list precision,
recall and F1 each pair of values would give, from one `rank` per question.

Exit status: 0 when every question was evaluated, 2 when there is no model or no question file.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS_DIR = ROOT / "tests" / "retrieval"
OPEN, BLIND = "open", "blind"
#: The development parts, in the order they were written (dev, dev2 ... dev26).
DEVELOPMENT = ("dev", *(f"dev{number}" for number in range(2, 27)))
#: Part -> folder of its <lang>.yml files; the errors of BLIND are never printed.
PARTS = {
    OPEN: QUESTIONS_DIR,
    **{part: QUESTIONS_DIR / part for part in DEVELOPMENT},
    BLIND: QUESTIONS_DIR / BLIND,
}
PATTERNS = ("aspect", "reverse", "remark", "webinar", "organisation", "person", "city")
#: How many of a question's facts recall@3 counts, and among how many ids said.
TOP = 3
FALLBACK_INTENT, FALLBACK_ACTION = "nlu_fallback", "action_answer_fallback"


# ----- the questions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One evaluation question and what a right answer says."""

    q: str
    facts: tuple[str, ...]
    pattern: str
    cities: tuple[str, ...] = ()


def load_questions(path: Path) -> list[Question]:
    """The questions of one file; ValueError naming the file and the question when one is malformed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected a mapping with a list under 'questions'")
    questions = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str) or not item["q"].strip():
            raise ValueError(f"{path}: question {number} has no text ('q')")
        facts, cities = item.get("facts") or [], item.get("cities") or []
        if not isinstance(facts, list) or not facts or not isinstance(cities, list):
            raise ValueError(f"{path}: question {number} ({item['q']!r}) needs a non-empty list 'facts'")
        questions.append(
            Question(
                item["q"],
                tuple(str(f) for f in facts),
                str(item.get("pattern") or "aspect"),
                tuple(str(c) for c in cities),
            )
        )
    return questions


# ----- scoring (pure: tests/test_retrieval_evaluation.py checks it) ------------------------------


def precision_at_1(said: Sequence[str], facts: Iterable[str]) -> float:
    """1 when the first id said is one of `facts`, else 0 (also 0 when nothing was said)."""
    return 1.0 if said and said[0] in set(facts) else 0.0


def recall_at_3(said: Sequence[str], facts: Sequence[str]) -> float:
    """The share of `facts` (the first `TOP` of them counted) found among the first `TOP` ids said.

    A question with five right facts is fully recalled by any three of them among the first three
    ids said: the denominator is min(len(facts), TOP).
    """
    wanted = set(facts)
    if not wanted:
        return 0.0
    found = len(wanted & set(said[:TOP]))
    return min(found, TOP) / min(len(wanted), TOP)


def list_scores(named: Iterable[str], expected: Iterable[str]) -> tuple[float, float]:
    """(precision, recall) of the cities an answer named against the cities a right list names.

    An answer naming no city has precision 0 (it listed nothing right) unless none was expected.
    """
    named_set, expected_set = set(named), set(expected)
    right = len(named_set & expected_set)
    precision = right / len(named_set) if named_set else (1.0 if not expected_set else 0.0)
    recall = right / len(expected_set) if expected_set else 1.0
    return precision, recall


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` percentile (0-1) of `values`, nearest-rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil, at least the first
    return ordered[int(rank) - 1]


@dataclass
class Outcome:
    """What the bot did with one question."""

    question: Question
    intent: str
    action: str | None
    said: list[str]
    named_cities: list[str]
    milliseconds: float

    @property
    def precision(self) -> float:
        return precision_at_1(self.said, self.question.facts)

    @property
    def recall(self) -> float:
        return recall_at_3(self.said, self.question.facts)


@dataclass
class Figures:
    """The scores of a group of outcomes (one file, or one pattern of one file)."""

    questions: int
    precision_at_1: float
    recall_at_3: float
    reverse_questions: int = 0
    list_precision: float | None = None
    list_recall: float | None = None
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    by_pattern: dict[str, Figures] = field(default_factory=dict)


def figures(outcomes: Sequence[Outcome], with_patterns: bool = True) -> Figures:
    """Mean precision@1 and recall@3, list scores over the reverse questions, action time p50/p95."""
    count = len(outcomes)
    reverse = [o for o in outcomes if o.question.pattern == "reverse"]
    lists = [list_scores(o.named_cities, o.question.cities) for o in reverse]
    times = [o.milliseconds for o in outcomes]
    result = Figures(
        questions=count,
        precision_at_1=sum(o.precision for o in outcomes) / count if count else 0.0,
        recall_at_3=sum(o.recall for o in outcomes) / count if count else 0.0,
        reverse_questions=len(reverse),
        list_precision=statistics.fmean(p for p, _ in lists) if lists else None,
        list_recall=statistics.fmean(r for _, r in lists) if lists else None,
        p50_ms=percentile(times, 0.5),
        p95_ms=percentile(times, 0.95),
    )
    if with_patterns:
        patterns = sorted({o.question.pattern for o in outcomes}, key=_pattern_order)
        result.by_pattern = {
            p: figures([o for o in outcomes if o.question.pattern == p], with_patterns=False)
            for p in patterns
        }
    return result


def _pattern_order(pattern: str) -> tuple[int, str]:
    return (PATTERNS.index(pattern) if pattern in PATTERNS else len(PATTERNS), pattern)


# ----- answering as the bot does -----------------------------------------------------------------


def rule_actions(rules_file: Path) -> dict[str, str]:
    """Intent -> the action or response data/rules.yml answers it with (the first step after it)."""
    data = yaml.safe_load(rules_file.read_text(encoding="utf-8")) or {}
    mapping: dict[str, str] = {}
    for rule in data.get("rules") or []:
        steps = rule.get("steps") or []
        for step, following in zip(steps, steps[1:], strict=False):
            if "intent" in step and "action" in following:
                mapping.setdefault(str(step["intent"]), str(following["action"]))
    return mapping


def entity_slots(domain_file: Path) -> dict[str, str]:
    """Slot -> the entity that fills it (bot/domain.yml's `from_entity` mappings)."""
    domain = yaml.safe_load(domain_file.read_text(encoding="utf-8")) or {}
    slots: dict[str, str] = {}
    for name, slot in (domain.get("slots") or {}).items():
        for mapping in slot.get("mappings") or []:
            if mapping.get("type") == "from_entity" and mapping.get("entity"):
                slots[str(name)] = str(mapping["entity"])
    return slots


class Bot:
    """The trained model's parse, then the answer action, in this process."""

    def __init__(self, model: Path, kb_dir: Path) -> None:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))  # `actions` is a folder of the repository
        os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
        os.environ.setdefault("CITYBOT_KNOWLEDGE", str(kb_dir))  # the actions' own knowledge base
        import asyncio
        import logging
        import warnings

        from rasa.core.agent import Agent
        from rasa.utils.common import configure_logging_and_warnings
        from rasa.utils.log_utils import configure_structlog

        configure_logging_and_warnings(logging.ERROR)  # the figures, not Rasa's debug lines
        configure_structlog(logging.ERROR)
        warnings.filterwarnings("ignore")

        from actions.knowledge import get_kb
        from actions.notices import ANSWER_ACTIONS

        self._loop = asyncio.new_event_loop()
        self._agent = Agent.load(str(model))
        self._actions = ANSWER_ACTIONS
        self._rules = rule_actions(ROOT / "data" / "rules.yml")
        self._slots = entity_slots(ROOT / "bot" / "domain.yml")
        self.kb = get_kb()
        self.kb.fact_index  # noqa: B018 -- built now, as the server's first ranking would: not timed per question

    def answer(self, text: str) -> tuple[str, str | None, list[str], float]:
        """(intent, action, ids said, milliseconds of the action) for `text` as a first message."""
        from rasa_sdk import Tracker
        from rasa_sdk.executor import CollectingDispatcher

        from actions.facts import Reply
        from citybot.language.codes import LANGUAGE_SLOT
        from citybot.language.decision import message_language
        from citybot.policies.greeting import GreetingWithQuestionPolicy, carries_question

        parsed = self._loop.run_until_complete(self._agent.parse_message(text))
        intent = str((parsed.get("intent") or {}).get("name") or FALLBACK_INTENT)
        lang = message_language(None, parsed, self.kb.name_words)
        slots: dict[str, Any] = {LANGUAGE_SLOT: lang}
        for entity in parsed.get("entities") or []:  # as Rasa fills a text slot: the last value
            for slot, entity_name in self._slots.items():
                if entity.get("entity") == entity_name:
                    slots[slot] = entity.get("value")
        tracker = Tracker("evaluate", slots, parsed, [], False, None, {}, "action_listen")
        name = FALLBACK_ACTION if intent == FALLBACK_INTENT else self._rules.get(intent)
        if carries_question(parsed):  # as GreetingWithQuestionPolicy overrides the greet/thank rules
            name = GreetingWithQuestionPolicy.get_default_config()["answer_action"]
        action = self._actions.get(name or "")
        if action is None:  # answered with a response (greet, out of scope...): no fact said
            return intent, name, [], 0.0
        reply = Reply(CollectingDispatcher(), tracker, self.kb, lang)
        start = time.perf_counter()
        action.answer_precisely(reply)
        elapsed = (time.perf_counter() - start) * 1000
        return intent, name, list(reply.said), elapsed

    def named_cities(self, said: Iterable[str]) -> list[str]:
        """The cities an answer named: the cities said, and the cities of the measures said."""
        measures = {m.id: m.city for c in self.kb.cities.values() for m in c.measures}
        named = [record if record in self.kb.cities else measures.get(record) for record in said]
        return list(dict.fromkeys(c for c in named if c))


#: The kinds of fact an action answering each pattern of question would rank (`--index`).
PATTERN_KINDS: dict[str, tuple[str, ...]] = {
    "aspect": ("measure",),
    "reverse": ("measure",),
    "remark": ("remark", "measure", "organisation_fact"),
    "webinar": ("webinar",),
    "organisation": ("organisation_fact",),
}


class IndexOnly:
    """The retrieval core alone, scoped as an action would be: the city or person the question
    names word for word (`kb.find_cities_in`, full person names) and the kinds of fact its
    pattern asks for; `rank`, or `matching` for reverse lists. No model."""

    def __init__(self, kb_dir: Path) -> None:
        from citybot.kb import load_knowledge_base
        from citybot.kb.normalize import fold

        self.kb = load_knowledge_base(kb_dir)
        self.kb.fact_index  # noqa: B018 -- built once, before the timings
        self._fold = fold
        self._people = {fold(p.name): p.id for p in self.kb.people.values()}

    def _speaker(self, text: str) -> str | None:
        folded = f" {self._fold(text)} "
        found = [person for name, person in self._people.items() if f" {name} " in folded]
        return found[0] if found else None

    def answer(self, question: Question) -> tuple[str, str | None, list[str], float]:
        """("index", the call made, ids ranked, milliseconds) for one question."""
        index = self.kb.fact_index
        kinds = PATTERN_KINDS[question.pattern]
        cities = self.kb.find_cities_in(question.q)
        city = cities[0].id if cities and question.pattern in ("aspect", "remark") else None
        speaker = self._speaker(question.q) if question.pattern == "remark" else None
        start = time.perf_counter()
        if question.pattern == "reverse":
            hits, call = index.matching(question.q, kinds=kinds), "matching"
        else:
            hits = index.rank(question.q, kinds=kinds, city=None if speaker else city, speaker=speaker)
            call = f"rank(city={city}, speaker={speaker})"
        elapsed = (time.perf_counter() - start) * 1000
        return "index", call, [hit.fact.id for hit in hits], elapsed

    def named_cities(self, said: Iterable[str]) -> list[str]:
        measures = {m.id: m.city for c in self.kb.cities.values() for m in c.measures}
        return list(dict.fromkeys(measures[r] for r in said if r in measures))


#: Patterns whose right answer is a fact (`--index` evaluates only these).
FACT_PATTERNS = tuple(PATTERN_KINDS)


#: The values `--sweep` tries for matching's absolute floor, share of the best score and coverage.
SWEEP_MIN_SCORES = (1.0, 2.0, 3.0)
SWEEP_RELATIVE = (0.3, 0.4, 0.5, 0.6, 0.7)
SWEEP_COVERAGE = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def sweep(kb_dir: Path, questions: Sequence[Question]) -> list[str]:
    """Mean list precision/recall and their F1 over the reverse questions, for each combination
    of matching's thresholds (set on citybot.retrieval.index for the run, then put back)."""
    from citybot.retrieval import index as module

    fact_index = IndexOnly(kb_dir).kb.fact_index
    reverse = [q for q in questions if q.pattern == "reverse" and q.cities]
    lines = [
        f"Matching thresholds on {len(reverse)} reverse questions (list scores of the cities kept):",
        "| MIN_SCORE | RELATIVE_SCORE | MIN_COVERAGE | precision | recall | F1 |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    saved = (module.MIN_SCORE, module.RELATIVE_SCORE, module.MIN_COVERAGE)
    try:
        for setting in itertools.product(SWEEP_MIN_SCORES, SWEEP_RELATIVE, SWEEP_COVERAGE):
            module.MIN_SCORE, module.RELATIVE_SCORE, module.MIN_COVERAGE = setting
            scores = [
                list_scores(
                    {h.fact.city for h in fact_index.matching(q.q, kinds=["measure"])} - {None}, q.cities
                )
                for q in reverse
            ]
            precision = statistics.fmean(p for p, _ in scores) if scores else 0.0
            recall = statistics.fmean(r for _, r in scores) if scores else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            lines.append(f"| {' | '.join(map(str, setting))} | {precision:.1%} | {recall:.1%} | {f1:.1%} |")
    finally:
        module.MIN_SCORE, module.RELATIVE_SCORE, module.MIN_COVERAGE = saved
    return lines


def evaluate(bot: Bot | IndexOnly, questions: Sequence[Question]) -> list[Outcome]:
    outcomes = []
    for question in questions:
        if isinstance(bot, IndexOnly):
            if question.pattern not in FACT_PATTERNS:
                continue
            intent, action, said, elapsed = bot.answer(question)
        else:
            intent, action, said, elapsed = bot.answer(question.q)
        outcomes.append(Outcome(question, intent, action, said, bot.named_cities(said), elapsed))
    return outcomes


# ----- the report ---------------------------------------------------------------------------------


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def table(results: dict[tuple[str, str], Figures]) -> list[str]:
    lines = [
        "| part | language | pattern | questions | precision@1 | recall@3 | list precision | list recall | p50 ms | p95 ms |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (part, lang), total in results.items():
        for pattern, f in [("all", total), *total.by_pattern.items()]:
            lines.append(
                f"| {part} | {lang} | {pattern} | {f.questions} | {_cell(f.precision_at_1)} | "
                f"{_cell(f.recall_at_3)} | {_cell(f.list_precision)} | {_cell(f.list_recall)} | "
                f"{f.p50_ms:.1f} | {f.p95_ms:.1f} |"
            )
    return lines


def misses(outcomes: Sequence[Outcome]) -> list[str]:
    """One line per question whose first id said is wrong, or whose list is not exactly right."""
    lines = []
    for o in outcomes:
        listed = set(o.named_cities) == set(o.question.cities) if o.question.pattern == "reverse" else True
        if o.precision == 1.0 and listed:
            continue
        got = ", ".join(o.said[:TOP]) or "nothing"
        line = f"- [{o.question.pattern}] {o.question.q!r} ({o.intent} -> {o.action}): expected {', '.join(o.question.facts)}; got {got}"
        if o.question.pattern == "reverse":
            line += f"; cities expected {sorted(o.question.cities)}, named {sorted(o.named_cities)}"
        lines.append(line)
    return lines


def _outcome_json(o: Outcome, blind: bool) -> dict[str, Any]:
    if blind:  # figures only: what the blind questions expect and got is not written down
        return {"precision_at_1": o.precision, "recall_at_3": o.recall, "milliseconds": o.milliseconds}
    return {
        "q": o.question.q,
        "pattern": o.question.pattern,
        "expected": list(o.question.facts),
        "intent": o.intent,
        "action": o.action,
        "said": o.said,
        "cities_expected": list(o.question.cities),
        "cities_named": o.named_cities,
        "precision_at_1": o.precision,
        "recall_at_3": o.recall,
        "milliseconds": round(o.milliseconds, 3),
    }


def newest_model(folder: Path) -> Path | None:
    """The newest model in `folder`, as `rasa run` picks it (rasa.model.get_latest_model)."""
    from rasa.model import get_latest_model

    found = get_latest_model(str(folder)) if folder.is_dir() else None
    return Path(found) if found else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument(
        "--model", type=Path, default=ROOT / "models", help="model file or folder (default: models/)"
    )
    parser.add_argument("--lang", action="append", choices=("en", "fr"), help="default: en and fr")
    parser.add_argument(
        "--set", action="append", choices=tuple(PARTS), dest="parts", help="default: all of them"
    )
    parser.add_argument("--questions", type=Path, help="evaluate this file (open part format) instead")
    parser.add_argument("--kb", type=Path, default=ROOT / "knowledge", help="default: knowledge/")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "retrieval")
    parser.add_argument(
        "--index", action="store_true", help="the retrieval core alone (no model, no actions)"
    )
    parser.add_argument(
        "--sweep", action="store_true", help="list scores of matching's thresholds (all parts but blind)"
    )
    args = parser.parse_args(argv)

    if args.questions is not None:
        runs = [(OPEN, args.questions.stem, args.questions)]
    else:
        runs = [
            (part, lang, PARTS[part] / f"{lang}.yml")
            for part in args.parts or list(PARTS)
            for lang in args.lang or ["en", "fr"]
        ]
    missing = [str(path) for _, _, path in runs if not path.is_file()]
    runs = [run for run in runs if run[2].is_file()]
    for path in missing:
        print(f"No question file {path}: skipped.")
    if not runs:
        print("No questions to evaluate.")
        return 2
    model = args.model if args.model.is_file() else newest_model(args.model)
    if model is None and not args.index:
        print(f"No trained model in {args.model}: run `make train` first.")
        return 2
    try:
        question_sets = {(part, lang): load_questions(path) for part, lang, path in runs}
    except (ValueError, yaml.YAMLError) as error:
        print(error)
        return 2

    if args.sweep:
        readable = [q for (part, _), qs in question_sets.items() if part != BLIND for q in qs]
        print("\n".join(sweep(args.kb, readable)))
        return 0
    bot = IndexOnly(args.kb) if args.index or model is None else Bot(model, args.kb)
    results: dict[tuple[str, str], Figures] = {}
    args.out.mkdir(parents=True, exist_ok=True)
    report: list[str] = []
    for (part, lang), questions in question_sets.items():
        outcomes = evaluate(bot, questions)
        results[(part, lang)] = figures(outcomes)
        blind = part == BLIND
        (args.out / f"{part}-{lang}{'-index' if args.index else ''}.json").write_text(
            json.dumps(
                {
                    "figures": asdict(results[(part, lang)]),
                    "questions": [_outcome_json(o, blind) for o in outcomes],
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        if not blind:
            found = misses(outcomes)
            report += ["", f"Misses ({part}, {lang}: {len(found)} of {len(outcomes)}):", *found]
    header = [
        f"Fact retrieval, {'the index alone' if args.index or model is None else f'end to end (model: {model.name})'}"
        f" (knowledge base: {args.kb})",
        "",
        *table(results),
    ]
    print("\n".join(header + report))
    summary = {f"{part}-{lang}": asdict(f) for (part, lang), f in results.items()}
    name = "summary-index" if args.index else "summary"
    (args.out / f"{name}.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    (args.out / f"{name}.md").write_text("\n".join(header) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
