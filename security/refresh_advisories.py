"""Rebuild one file of the offline advisory snapshot (security/advisories/) from a local copy of an
OSV advisory database: keep the records that name a package of requirements.lock or
webchat/package-lock.json, and of each only the facts the audit evaluates (id, aliases, dates,
affected ranges, a link to the source record) -- never the advisory's text.

Downloads nothing: point it at a checkout or an unpacked export, e.g.

    git clone --depth 1 https://github.com/pypa/advisory-database /tmp/pypa
    .venv-audit/bin/python security/refresh_advisories.py /tmp/pypa/vulns --out security/advisories/pypa.json \\
        --source "PyPA advisory database (github.com/pypa/advisory-database, CC-BY-4.0)" \\
        --commit "$(git -C /tmp/pypa rev-parse HEAD)" \\
        --covers-through "$(git -C /tmp/pypa log -1 --format=%cs)" \\
        --link "https://github.com/pypa/advisory-database/blob/{commit}/vulns/{path}"

(the GitHub advisory database, github.com/github/advisory-database, has the same layout in JSON,
npm included). Runs in the audit's virtualenv, .venv-audit (`make audit` makes it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit import NPM, PYPI, ROOT, normalise, read_package_lock, read_requirements_lock


def load(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    import yaml  # only for YAML databases (PyPA's)

    return yaml.safe_load(text)


def facts(record: dict[str, Any], wanted: set[tuple[str, str]], link: str) -> dict[str, Any] | None:
    affected = []
    for entry in record.get("affected", []):
        package = entry.get("package", {})
        ecosystem, name = package.get("ecosystem"), package.get("name", "")
        if (ecosystem, normalise(ecosystem, name)) not in wanted:
            continue
        ranges = [
            {"type": r["type"], "events": r["events"]}
            for r in entry.get("ranges", [])
            if r.get("type") in ("ECOSYSTEM", "SEMVER")
        ]
        kept: dict[str, Any] = {"package": {"ecosystem": ecosystem, "name": name}}
        if ranges:
            kept["ranges"] = ranges
        elif entry.get("versions"):  # no range a version can be compared with: the list is all there is
            kept["versions"] = entry["versions"]
        else:
            continue
        affected.append(kept)
    if not affected or record.get("withdrawn"):
        return None
    out = {"id": record["id"], "aliases": sorted(record.get("aliases") or [])}
    for key in ("published", "modified"):
        if record.get(key):
            out[key] = str(record[key])
    out["affected"] = affected
    out["references"] = [{"type": "ADVISORY", "url": link}]
    return out


def dump(snapshot: dict[str, Any]) -> str:
    """The snapshot as JSON with one record a line, so that a refresh's diff reads record by record."""
    head = {k: v for k, v in snapshot.items() if k != "records"}
    lines = json.dumps(head, indent=1, ensure_ascii=False)[:-2].splitlines()
    records = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in snapshot["records"]]
    return "\n".join([*lines[:-1], lines[-1] + ",", ' "records": [', ",\n".join(records), " ]", "}"]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folder", type=Path, help="a folder of OSV records (*.json, *.yaml), searched recursively"
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--source", required=True, help="the database's name, address and licence")
    parser.add_argument("--commit", required=True, help="the database's commit (or export id)")
    parser.add_argument("--covers-through", required=True, type=dt.date.fromisoformat,
                        help="the date of that commit: advisories after it are not in the snapshot")  # fmt: skip
    parser.add_argument("--link", required=True, help="URL template of a record: {commit} and {path}")
    args = parser.parse_args(argv)

    locked = read_requirements_lock(ROOT / "requirements.lock")
    locked += read_package_lock(ROOT / "webchat" / "package-lock.json")
    wanted = {(item.ecosystem, normalise(item.ecosystem, item.name)) for item in locked}
    records = []
    for path in sorted(args.folder.rglob("*")):
        if path.suffix not in (".json", ".yaml", ".yml") or not path.is_file():
            continue
        rel = path.relative_to(args.folder).as_posix()
        kept = facts(load(path), wanted, args.link.format(commit=args.commit, path=rel))
        if kept:
            records.append(kept)
    ecosystems = sorted({a["package"]["ecosystem"] for r in records for a in r["affected"]})
    snapshot = {
        "source": args.source,
        "commit": args.commit,
        "covers_through": args.covers_through.isoformat(),
        "taken": dt.date.today().isoformat(),
        "ecosystems": ecosystems or [PYPI, NPM],
        "filtered_to": "the packages of requirements.lock and webchat/package-lock.json",
        "content": "facts only: ids, aliases, dates, affected ranges and a link to each source record",
        "records": sorted(records, key=lambda r: (r["affected"][0]["package"]["name"].lower(), r["id"])),
    }
    args.out.write_text(dump(snapshot), encoding="utf-8")
    print(
        f"{args.out}: {len(records)} records for {len({a['package']['name'] for r in records for a in r['affected']})} packages"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
