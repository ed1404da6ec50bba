"""The `citybot` command: staff tools around the knowledge base and the generated NLU data.

    citybot kb validate [--path knowledge]
    citybot kb list [--path knowledge] [cities|topics|webinars|organisations|people]
    citybot nlu generate [--kb knowledge] [--out data/nlu/generated]
    citybot nlu check [--kb knowledge] [--out data/nlu/generated]
    citybot report unanswered [--store URL] [--since YYYY-MM-DD] [--csv FILE]
                              [--min-confidence 0.6] [--examples 3]

Default paths are the project's (`citybot.paths`): `knowledge/` of the project you are in (unless
$CITYBOT_KNOWLEDGE names another folder), from any of its subfolders.
Exit codes: 0 all good, 1 problems found (each printed on its own line), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from citybot import paths
from citybot.kb import KnowledgeBase, KnowledgeBaseError, load_knowledge_base

LISTINGS = ("cities", "topics", "webinars", "organisations", "people", "sources")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv` (default: sys.argv[1:]) and return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    try:
        code: int = args.run(args)
        return code
    except BrokenPipeError:  # `citybot kb list | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citybot", description=("Tools for the city chatbot's knowledge base and NLU data.")
    )
    groups = parser.add_subparsers(title="commands", metavar="{kb,nlu,report}")

    kb = groups.add_parser("kb", help="check or list the knowledge base").add_subparsers(
        title="kb commands", metavar="{validate,list}"
    )
    validate = kb.add_parser("validate", help="check every knowledge file; list all problems")
    validate.add_argument("--path", default=_default_kb(), help="knowledge folder (default: %(default)s)")
    validate.set_defaults(run=_kb_validate)
    listing = kb.add_parser("list", help="show what the knowledge base holds")
    listing.add_argument("--path", default=_default_kb(), help="knowledge folder (default: %(default)s)")
    listing.add_argument("what", nargs="?", choices=LISTINGS, help="one section (default: all)")
    listing.set_defaults(run=_kb_list)

    nlu = groups.add_parser("nlu", help="generate or check the NLU data built from the KB")
    nlu_commands = nlu.add_subparsers(title="nlu commands", metavar="{generate,check}")
    for name, run, text in (
        ("generate", _nlu_generate, "write data/nlu/generated/*.yml"),
        ("check", _nlu_check, "fail if the generated NLU data is stale"),
    ):
        sub = nlu_commands.add_parser(name, help=text)
        sub.add_argument("--kb", default=_default_kb(), help="knowledge folder (default: %(default)s)")
        sub.add_argument(
            "--out", default=_display(paths.GENERATED_NLU_DIR), help="output folder (default: %(default)s)"
        )
        sub.set_defaults(run=run)
    _add_report_parser(groups)
    return parser


def _default_kb() -> str:
    return _display(paths.knowledge_dir())


def _display(path: Path) -> str:
    """`path` as staff would type it: relative to the current directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _add_report_parser(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from citybot.report import DEFAULT_MIN_CONFIDENCE, STORE_URL_ENV

    report = groups.add_parser("report", help="reports on the conversations users had")
    reports = report.add_subparsers(title="report commands", metavar="{unanswered}")
    unanswered = reports.add_parser(
        "unanswered",
        help="what users asked that the bot could not answer, grouped and counted",
        description="Read the conversation store (Rasa's SQL tracker store) and list the "
        "questions the bot could not answer, grouped by reason and thing asked.",
    )
    unanswered.add_argument(
        "--store",
        metavar="URL",
        help=(
            "tracker store database, e.g. sqlite:///var/conversations.db or "
            f"postgresql://user@host:5432/db (default: ${STORE_URL_ENV}). For a URL with a "
            f"password, set {STORE_URL_ENV} instead: a --store value is visible to every local "
            "user (ps) and stays in the shell history"
        ),
    )
    unanswered.add_argument(
        "--since", metavar="YYYY-MM-DD", type=_date, help="only conversations from this day on (UTC)"
    )
    unanswered.add_argument(
        "--csv", metavar="FILE", type=Path, help="also write the groups to FILE for a spreadsheet"
    )
    unanswered.add_argument(
        "--min-confidence",
        type=float,
        default=DEFAULT_MIN_CONFIDENCE,
        metavar="X",
        help="list answered questions whose intent confidence is below X (default: %(default)s)",
    )
    unanswered.add_argument(
        "--examples",
        type=int,
        default=3,
        metavar="N",
        help="example questions per group (default: %(default)s)",
    )
    unanswered.set_defaults(run=_report_unanswered)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def _load(path: str) -> KnowledgeBase | None:
    """The knowledge base, or None after printing every problem to stderr."""
    try:
        return load_knowledge_base(path)
    except KnowledgeBaseError as error:
        for issue in error.issues:
            print(issue, file=sys.stderr)
        print(f"{_count(len(error.issues), 'problem')} found in {path}", file=sys.stderr)
        print(
            f'fix each line above (docs/knowledge-base.md, "Common error messages", says what '
            f"they mean), then run `citybot kb validate --path {path}` again",
            file=sys.stderr,
        )
        return None


def _kb_validate(args: argparse.Namespace) -> int:
    kb = _load(args.path)
    if kb is None:
        return 1
    print(f"OK: {args.path}: {summary(kb)}")
    for source_id, count in kb.facts_per_source().items():
        source = kb.sources[source_id]
        official = "official" if source.official else "not official"
        print(
            f"  {source_id} ({source.publisher}, {source.published or 'undated'}, {source.language}, {official}): "
            f"cited by {_count(count, 'fact')}"
        )
    return 0


def summary(kb: KnowledgeBase) -> str:
    """One line counting what the knowledge base holds."""
    measures = sum(len(c.measures) for c in kb.cities.values())
    facts = sum(len(o.facts) for o in kb.organisations.values())
    return (
        f"{_count(len(kb.cities), 'city', 'cities')} ({_count(measures, 'measure')}), "
        f"{_count(len(kb.topics), 'topic')}, "
        f"{_count(len(kb.countries), 'country', 'countries')}, "
        f"{_count(len(kb.organisations), 'organisation')} ({_count(facts, 'fact')}), "
        f"{_count(len(kb.people), 'person', 'people')}, "
        f"{_count(len(kb.webinars), 'webinar')}, {len(kb.series)} series, "
        f"{_count(len(kb.sources), 'source')} ({sum(s.official for s in kb.sources.values())} official)"
    )


def _count(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def _kb_list(args: argparse.Namespace) -> int:
    kb = _load(args.path)
    if kb is None:
        return 1
    sections = [args.what] if args.what else list(LISTINGS)
    for index, section in enumerate(sections):
        if index:
            print()
        _LISTERS[section](kb, sys.stdout)
    return 0


def _list_cities(kb: KnowledgeBase, out: TextIO) -> None:
    print(f"Cities ({len(kb.cities)}):", file=out)
    for city in kb.cities.values():
        status = city.network_status or "status not stated"
        dates = ", ".join(str(w.date) for w in kb.webinars_for_city(city.id)) or "no webinar"
        print(
            f"  {city.id:<22} {city.name} ({kb.country(city.country).name.en}) - {status}, "
            f"{_count(len(city.measures), 'measure')}, webinars: {dates}",
            file=out,
        )


def _list_topics(kb: KnowledgeBase, out: TextIO) -> None:
    print(f"Topics ({len(kb.topics)}):", file=out)
    for topic in kb.topics.values():
        cities = ", ".join(c.name for c in kb.cities_for_topic(topic.id)) or "no city measure"
        print(
            f"  {topic.id:<22} {topic.label.en} / {topic.label.fr} - "
            f"{_count(len(topic.synonyms.all()), 'synonym')}; cities: {cities}",
            file=out,
        )


def _list_webinars(kb: KnowledgeBase, out: TextIO) -> None:
    print(f"Webinars ({len(kb.webinars)}):", file=out)
    for webinar in kb.webinars.values():
        presenters = [kb.city(c).name for c in webinar.presenting_cities]
        presenters += [kb.organisation(o).short_name() for o in webinar.presenting_organisations]
        presenters += [t.en for t in webinar.other_presenters]
        print(
            f"  {webinar.date}  {webinar.title.en} - {', '.join(presenters) or 'no presenter named'}",
            file=out,
        )


def _list_organisations(kb: KnowledgeBase, out: TextIO) -> None:
    print(f"Organisations ({len(kb.organisations)}):", file=out)
    for org in kb.organisations.values():
        print(
            f"  {org.id:<22} {org.short_name()} - {org.name.en}; {len(org.people)} people, "
            f"{_count(len(org.facts), 'fact')}",
            file=out,
        )


def _list_people(kb: KnowledgeBase, out: TextIO) -> None:
    print(f"People ({len(kb.people)}):", file=out)
    for person in kb.people.values():
        if person.city:
            where = kb.city(person.city).name
        elif person.organisation:
            where = kb.organisation(person.organisation).short_name()
        else:
            where = "no city or organisation"
        role = person.role.en if person.role else "role not stated"
        print(f"  {person.id:<22} {person.display_name()} - {role} ({where})", file=out)


def _list_sources(kb: KnowledgeBase, out: TextIO) -> None:
    print(f"Sources ({len(kb.sources)}):", file=out)
    cited = kb.facts_per_source()
    for source in kb.sources.values():
        official = "official" if source.official else "not official"
        print(
            f"  {source.id:<30} {source.publisher}, {source.published or 'undated'}, {source.language}, {official}, "
            f"cited by {_count(cited[source.id], 'fact')} - {source.title} <{source.url}>",
            file=out,
        )


_LISTERS: dict[str, Callable[[KnowledgeBase, TextIO], None]] = {
    "cities": _list_cities,
    "topics": _list_topics,
    "webinars": _list_webinars,
    "organisations": _list_organisations,
    "people": _list_people,
    "sources": _list_sources,
}


def _nlu_generate(args: argparse.Namespace) -> int:
    from citybot.nlu_data import generate  # only when asked for: `citybot kb` does not need it

    kb = _load(args.kb)
    if kb is None:
        return 1
    if not generate.check(kb, Path(args.out)):
        # Rewriting identical files would change their dates and make `make train` retrain.
        print(f"{args.out} is already up to date with the knowledge base: nothing written")
        return 0
    written = generate.generate(kb, Path(args.out))
    for path in written:
        print(f"wrote {path}")
    return 0


def _nlu_check(args: argparse.Namespace) -> int:
    from citybot.nlu_data import generate

    kb = _load(args.kb)
    if kb is None:
        return 1
    problems = generate.check(kb, Path(args.out))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"the generated NLU data in {args.out} does not match the knowledge base: run "
            "`make train` (it runs `citybot nlu generate`, then retrains the model)",
            file=sys.stderr,
        )
        return 1
    print(f"OK: {args.out} is up to date with the knowledge base")
    return 0


def _report_unanswered(args: argparse.Namespace) -> int:
    from citybot.report import STORE_URL_ENV, StoreError, store_url, unanswered_groups, write_csv, write_text
    from citybot.report.store import has_password, mask_passwords, shown_url

    _printable_anything(sys.stdout)
    url = store_url(args.store)
    if url is None:
        print(
            f"error: no conversation store: pass --store URL or set {STORE_URL_ENV} "
            "(e.g. sqlite:///var/conversations.db)",
            file=sys.stderr,
        )
        return 2
    if args.store and has_password(args.store):
        print(
            f"warning: the password in --store is visible to every local user (ps) and stays in "
            f"your shell history: set {STORE_URL_ENV} instead",
            file=sys.stderr,
        )
    try:
        groups = unanswered_groups(url, args.since, args.min_confidence)
    except StoreError as error:
        print(f"error: {mask_passwords(str(error))}", file=sys.stderr)
        return 1
    title = f"Unanswered questions in {shown_url(url)}"
    if args.since:
        title += f" since {args.since}"
    write_text(groups, sys.stdout, title, args.examples)
    if args.csv:
        write_csv(groups, args.csv, args.examples)
        print(f"\nwrote {args.csv} ({_count(len(groups), 'row')})")
    return 0


def _printable_anything(out: TextIO) -> None:
    """A terminal whose encoding lacks a character (LANG=C, a Latin-1 console) shows "?" for it
    instead of stopping the report half-way."""
    if isinstance(out, io.TextIOWrapper):
        out.reconfigure(errors="replace")


if __name__ == "__main__":
    sys.exit(main())
