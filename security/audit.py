"""The dependency audit behind `make audit`: known vulnerabilities in requirements.lock and in the web
chat widget's webchat/package-lock.json.

Online, the verdict is pip-audit's (PyPI's advisory data) and `npm audit --omit=dev`'s (the npm
registry's). When a service does not answer -- these machines reach the package registries' download
endpoints only, not PyPI's JSON API, OSV's API or npm's bulk advisory endpoint -- the audit says so
loudly and falls back to the committed, dated advisory snapshot in security/advisories/ (OSV records,
filtered to the locked packages), evaluated here: PyPI ranges with `packaging`, npm ranges with
`semver` (SemVer 2.0 precedence).

The gate fails on any locked version affected by an advisory that has a fixed version, unless
security/audit-waivers.toml waives that advisory for that package and version, with a review date
still in the future. It also fails on a waiver that is malformed, past its review date, or that no
longer matches a finding (the package moved, or the advisory is gone): the waiver list stays true.

Runs in the tool virtualenv .venv-audit (pip-audit cannot share Rasa 3.6's): `make audit`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import semver
import tomli
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
PYPI, NPM = "PyPI", "npm"
STALE_DAYS = 90  # past this, every run warns that the offline snapshot is old
SERVICE_TIMEOUT_S = 180  # a hung service counts as unreachable
WAIVER_FIELDS = (
    "id",
    "ecosystem",
    "package",
    "version",
    "constrained_by",
    "exposure",
    "reviewed",
    "review_by",
)


def normalise(ecosystem: str, name: str) -> str:
    """PEP 503 names for PyPI; npm names are compared as written (they are lower-case)."""
    return re.sub(r"[-_.]+", "-", name).lower() if ecosystem == PYPI else name


# ----- what is locked -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Locked:
    ecosystem: str
    name: str
    version: str
    where: str = ""  # npm: the node_modules path


def read_requirements_lock(path: Path) -> list[Locked]:
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].split(";", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        if "==" not in line:
            raise SystemExit(f"audit: {path}: not an exact pin: {raw!r}")
        name, version = (part.strip() for part in line.split("==", 1))
        out.append(Locked(PYPI, name.split("[", 1)[0], version.split()[0]))
    return out


def read_package_lock(path: Path) -> list[Locked]:
    """Every installed package of an npm lockfile (v2/v3), as `npm audit --omit=dev` sees them."""
    data = json.loads(path.read_text(encoding="utf-8"))
    packages = data.get("packages")
    if not isinstance(packages, dict):
        raise SystemExit(f"audit: {path}: no 'packages' map (lockfileVersion 2 or 3 needed)")
    out = []
    for where, meta in packages.items():
        if not where or meta.get("dev") or meta.get("link") or "version" not in meta:
            continue
        name = meta.get("name") or where.rsplit("node_modules/", 1)[-1]
        out.append(Locked(NPM, name, meta["version"], where))
    return out


# ----- findings and waivers -----------------------------------------------------------------------


@dataclass
class Finding:
    ecosystem: str
    package: str
    version: str
    id: str
    aliases: tuple[str, ...] = ()
    fixed_in: tuple[str, ...] = ()  # empty: no fixed version is known
    source: str = ""
    where: tuple[str, ...] = ()
    waiver: Waiver | None = None

    @property
    def ids(self) -> set[str]:
        return {self.id, *self.aliases}

    @property
    def fixable(self) -> bool:
        return bool(self.fixed_in)


@dataclass
class Waiver:
    id: str
    ecosystem: str
    package: str
    version: str
    constrained_by: str
    exposure: str
    reviewed: dt.date
    review_by: dt.date
    used: bool = field(default=False, compare=False)

    def covers(self, finding: Finding) -> bool:
        return (
            self.ecosystem == finding.ecosystem
            and normalise(self.ecosystem, self.package) == normalise(finding.ecosystem, finding.package)
            and self.version == finding.version
            and self.id in finding.ids
        )


def load_waivers(path: Path) -> tuple[list[Waiver], list[str]]:
    """The waivers, and the problems with the file (each one fails the gate)."""
    if not path.exists():
        return [], []
    try:
        data = tomli.loads(path.read_text(encoding="utf-8"))
    except tomli.TOMLDecodeError as exc:
        return [], [f"{path.name}: not valid TOML: {exc}"]
    waivers, problems = [], []
    for n, entry in enumerate(data.get("waiver", []), 1):
        label = f"{path.name}, waiver {n} ({entry.get('id', '?')})"
        missing = [k for k in WAIVER_FIELDS if not entry.get(k)]
        if missing:
            problems.append(f"{label}: missing {', '.join(missing)}")
            continue
        if entry["ecosystem"] not in (PYPI, NPM):
            problems.append(f"{label}: ecosystem must be {PYPI!r} or {NPM!r}")
            continue
        dates = {k: entry[k] for k in ("reviewed", "review_by")}
        if not all(isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in dates.values()):
            problems.append(f"{label}: reviewed and review_by must be TOML dates (YYYY-MM-DD)")
            continue
        waivers.append(Waiver(**{k: entry[k] for k in WAIVER_FIELDS}))
    return waivers, problems


# ----- the offline auditor: OSV records against the locks ------------------------------------------


class Snapshot:
    """The committed advisory records (security/advisories/*.json), indexed by package."""

    def __init__(self, folder: Path):
        self.files: list[dict[str, Any]] = []
        self.by_package: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for path in sorted(folder.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            data["file"] = path.name
            self.files.append(data)
            for record in data["records"]:
                if record.get("withdrawn"):
                    continue
                for name in {(a["package"]["ecosystem"], a["package"]["name"]) for a in record["affected"]}:
                    key = (name[0], normalise(*name))
                    self.by_package.setdefault(key, []).append(record)

    def describe(self, today: dt.date) -> list[str]:
        lines = []
        for f in self.files:
            through = dt.date.fromisoformat(f["covers_through"])
            age = (today - through).days
            if f.get("selective"):
                scope = f"selective: only these advisories, checked on {through} ({age} days ago)"
            else:
                scope = f"covers advisories published up to {through} ({age} days ago), taken {f['taken']}"
            lines.append(f"  {f['file']}: {len(f['records'])} records, {f['source']}; {scope}")
            if age > STALE_DAYS:
                lines.append(
                    f"  WARNING: {f['file']} is {age} days old (more than {STALE_DAYS}): advisories "
                    "published since then are unknown offline. Refresh it: security/README.md"
                )
        return lines

    def audit(self, locked: Iterable[Locked]) -> tuple[list[Finding], list[str]]:
        grouped: dict[tuple[str, str, str], list[Locked]] = {}
        for item in locked:
            grouped.setdefault((item.ecosystem, item.name, item.version), []).append(item)
        findings, problems = [], []
        for (ecosystem, name, version), items in sorted(grouped.items()):
            for record in self.by_package.get((ecosystem, normalise(ecosystem, name)), []):
                try:
                    hit, fixed = affects(record, ecosystem, name, version)
                except ValueError as exc:
                    problems.append(f"{record['id']} on {name} {version}: {exc}")
                    continue
                if hit:
                    findings.append(
                        Finding(
                            ecosystem,
                            name,
                            version,
                            record["id"],
                            tuple(record.get("aliases", ())),
                            fixed,
                            "offline snapshot",
                            tuple(i.where for i in items if i.where),
                        )
                    )
        return findings, problems


def parse_version(ecosystem: str, text: str) -> Any:
    """A comparable version: packaging's for PyPI (PEP 440), semver's for npm (SemVer 2.0)."""
    try:
        return Version(text) if ecosystem == PYPI else semver.Version.parse(text)
    except (InvalidVersion, ValueError, TypeError) as exc:
        raise ValueError(f"{ecosystem} version {text!r} cannot be compared: {exc}") from exc


def affects(record: dict[str, Any], ecosystem: str, name: str, version: str) -> tuple[bool, tuple[str, ...]]:
    """Whether `version` of `name` is affected by the OSV `record`, and the versions that fix the
    range it falls in (OSV schema: `versions` lists, ECOSYSTEM and SEMVER ranges; GIT ranges name
    commits, not releases, and are not evaluated)."""
    current = parse_version(ecosystem, version)
    hit, fixed = False, set()
    for affected in record["affected"]:
        package = affected["package"]
        if package["ecosystem"] != ecosystem or normalise(ecosystem, package["name"]) != normalise(
            ecosystem, name
        ):
            continue
        if version in affected.get("versions", ()):
            hit = True
        for rng in affected.get("ranges", ()):
            if rng["type"] not in ("ECOSYSTEM", "SEMVER"):
                continue
            inside, fix = in_range(rng["events"], ecosystem, current)
            if inside:
                hit = True
                if fix:
                    fixed.add(fix)
    return hit, tuple(sorted(fixed, key=lambda v: parse_version(ecosystem, v)))


def in_range(events: Sequence[dict[str, str]], ecosystem: str, current: Any) -> tuple[bool, str | None]:
    """OSV's range evaluation: walk the events in version order; `introduced` opens an affected
    interval, `fixed` and `limit` (exclusive) and `last_affected` (inclusive) close it. Returns
    whether `current` lies in an interval, and the `fixed` version closing that interval, if any."""

    def order(event: dict[str, str]) -> tuple[int, Any]:
        kind, value = next(iter(event.items()))
        return (0, 0) if kind == "introduced" and value == "0" else (1, parse_version(ecosystem, value))

    inside = False
    for event in sorted(events, key=order):
        kind, value = next(iter(event.items()))
        if kind == "introduced":
            if value != "0" and current < parse_version(ecosystem, value):
                break  # every later event lies above `current` too
            inside = True
        elif kind in ("fixed", "limit"):
            if current < parse_version(ecosystem, value):
                return inside, value if inside and kind == "fixed" else None
            inside = False
        elif kind == "last_affected":
            if current <= parse_version(ecosystem, value):
                return inside, None
            inside = False
    return inside, None


# ----- the online services -------------------------------------------------------------------------


@dataclass
class ServiceResult:
    answered: bool
    findings: list[Finding]
    note: str  # why it did not answer, or what it answered
    missing: list[str] = field(default_factory=list)  # PyPI packages the service had nothing on


def run(cmd: Sequence[str], cwd: Path) -> tuple[int | None, str, str]:
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=SERVICE_TIMEOUT_S)
    except FileNotFoundError as exc:
        return None, "", str(exc)
    except subprocess.TimeoutExpired:
        return None, "", f"no answer in {SERVICE_TIMEOUT_S} s"
    return proc.returncode, proc.stdout, proc.stderr


def pip_audit(lock: Path) -> ServiceResult:
    cmd = [
        sys.executable, "-m", "pip_audit", "--requirement", str(lock), "--no-deps", "--disable-pip",
        "--format", "json", "--progress-spinner", "off", "--timeout", "20",
    ]  # fmt: skip
    code, out, err = run(cmd, ROOT)
    return parse_pip_audit(out, code, err)


def parse_pip_audit(out: str, code: int | None, err: str) -> ServiceResult:
    """pip-audit's JSON. A package the service does not know is 'skipped', and pip-audit still says
    "No known vulnerabilities found" and exits 0: when PyPI's JSON API is out of reach, every
    package is skipped that way. So the service counts as having answered only for packages it
    resolved; the others go to the offline audit."""
    try:
        data = json.loads(out)
    except json.JSONDecodeError:
        last = (err.strip().splitlines() or [f"exit {code}"])[-1]
        return ServiceResult(False, [], f"pip-audit failed: {last[:300]}")
    findings, skipped, resolved = [], [], 0
    for dep in data.get("dependencies", []):
        if "skip_reason" in dep:
            skipped.append(dep["name"])
            continue
        resolved += 1
        for vuln in dep.get("vulns", []):
            findings.append(
                Finding(
                    PYPI,
                    dep["name"],
                    dep["version"],
                    vuln["id"],
                    tuple(vuln.get("aliases", ())),
                    tuple(vuln.get("fix_versions", ())),
                    "pip-audit (PyPI)",
                )
            )
    if not resolved:
        return ServiceResult(
            False, [], f"PyPI's vulnerability API answered for none of {len(skipped)} packages"
        )
    note = f"PyPI's vulnerability API answered for {resolved} packages"
    return ServiceResult(True, findings, note, skipped)


def npm_audit(webchat: Path) -> ServiceResult:
    code, out, err = run(["npm", "audit", "--omit=dev", "--json"], webchat)
    return parse_npm_audit(out, code, err, webchat / "package-lock.json")


def parse_npm_audit(out: str, code: int | None, err: str, package_lock: Path) -> ServiceResult:
    """`npm audit --json` (report version 2). Each advisory is a `via` object with its GHSA url and
    affected `range`: a range closed by `<X` has a fix (X); one closed by `<=X`, or open, has none."""
    try:
        data = json.loads(out) if out.strip() else {}
    except json.JSONDecodeError:
        data = {}
    if data.get("auditReportVersion") != 2:
        reason = data.get("message") or (err.strip().splitlines() or [f"exit {code}"])[-1]
        return ServiceResult(False, [], f"npm audit failed: {str(reason)[:300]}")
    versions: dict[str, str] = {}
    for item in read_package_lock(package_lock):
        versions[item.where] = item.version
    findings = []
    for name, entry in sorted(data.get("vulnerabilities", {}).items()):
        for node in entry.get("nodes", []):
            version = versions.get(node, "?")
            for via in entry.get("via", []):
                if not isinstance(via, dict):
                    continue  # the name of a vulnerable dependency: reported under its own entry
                ident = str(via.get("url", "")).rstrip("/").rsplit("/", 1)[-1] or str(via.get("source"))
                fixes = npm_range_fixes(str(via.get("range", "")), version)
                found = Finding(NPM, name, version, ident, (), tuple(fixes), "npm audit", (node,))
                findings.append(found)
    return ServiceResult(True, merge_places(findings), "the npm registry's audit endpoint answered")


def npm_range_fixes(vulnerable: str, version: str) -> tuple[str, ...]:
    """The fixed version for `version` in an npm advisory's vulnerable range, e.g. "7.5.10" for 7.4.6
    in ">=6.0.0 <6.2.3 || >=7.0.0 <7.5.10": the upper bound `<X` of the clause holding `version`.
    None when that clause ends in `<=X` or is open (no fix released)."""
    ops = {">=": "__ge__", ">": "__gt__", "<=": "__le__", "<": "__lt__", "=": "__eq__"}
    try:
        current = semver.Version.parse(version)
    except ValueError:
        current = None
    uppers = []
    for clause in vulnerable.split("||"):
        comparators = re.findall(r"(>=|<=|>|<|=)?\s*v?(\d+\.\d+\.\d+[^\s]*)", clause)
        upper = [v for op, v in comparators if op == "<"]
        uppers += upper
        if current is None:
            continue
        try:
            inside = all(getattr(current, ops[op or "="])(semver.Version.parse(v)) for op, v in comparators)
        except ValueError:
            continue
        if inside:
            return tuple(upper)
    # no clause holds `version` as written: when in doubt, any later fix counts (the gate fails)
    return tuple(u for u in uppers if current is None or later(u, current))


def later(candidate: str, current: semver.Version) -> bool:
    try:
        return bool(semver.Version.parse(candidate) > current)
    except ValueError:
        return True


def merge_places(findings: list[Finding]) -> list[Finding]:
    """One finding per package, version and advisory, with every node_modules path it is at."""
    merged: dict[tuple[str, str, str], Finding] = {}
    for f in findings:
        key = (f.package, f.version, f.id)
        if key in merged:
            merged[key].where += f.where
        else:
            merged[key] = f
    return list(merged.values())


# ----- the verdict -----------------------------------------------------------------------------------


@dataclass
class Section:
    ecosystem: str
    mode: str  # "online" or "OFFLINE"
    note: str
    findings: list[Finding]
    problems: list[str]


def apply_waivers(findings: list[Finding], waivers: list[Waiver]) -> None:
    for f in findings:
        for w in waivers:
            if w.covers(f):
                f.waiver = w
                w.used = True


def audit(args: argparse.Namespace) -> tuple[list[Section], list[str], list[str]]:
    """The sections (one per ecosystem), the failures, and the snapshot lines to print."""
    today: dt.date = args.today
    python_locked = read_requirements_lock(args.lock)
    npm_locked = read_package_lock(args.package_lock)
    snapshot = Snapshot(args.advisories)
    waivers, failures = load_waivers(args.waivers)
    sections, used_snapshot = [], False

    def ask(ecosystem: str) -> ServiceResult:
        """The service's verdict: a saved report if given, else the tool itself, unless --offline."""
        if ecosystem == PYPI and args.pip_audit_report:
            return parse_pip_audit(args.pip_audit_report.read_text(encoding="utf-8"), 0, "")
        if ecosystem == NPM and args.npm_audit_report:
            text = args.npm_audit_report.read_text(encoding="utf-8")
            return parse_npm_audit(text, 0, "", args.package_lock)
        if args.offline:
            return ServiceResult(False, [], "not asked (--offline)")
        return pip_audit(args.lock) if ecosystem == PYPI else npm_audit(args.package_lock.parent)

    for ecosystem, locked in ((PYPI, python_locked), (NPM, npm_locked)):
        result = ask(ecosystem)
        if result.answered:
            findings, problems = result.findings, []
            note = result.note
            if result.missing:
                missing = {normalise(PYPI, m) for m in result.missing}
                rest = [x for x in locked if normalise(PYPI, x.name) in missing]
                offline, problems = snapshot.audit(rest)
                findings += offline
                used_snapshot = True
                note += (
                    f"; it had nothing on {len(rest)} ({', '.join(sorted(result.missing))}): "
                    "those were audited OFFLINE against the snapshot"
                )
            sections.append(Section(ecosystem, "online", note, findings, problems))
        else:
            findings, problems = snapshot.audit(locked)
            used_snapshot = True
            sections.append(Section(ecosystem, "OFFLINE", result.note, findings, problems))

    for section in sections:
        apply_waivers(section.findings, waivers)
        failures += [f"{section.ecosystem}: {p}" for p in section.problems]
        for f in section.findings:
            if f.fixable and f.waiver is None:
                failures.append(
                    f"{f.package} {f.version}: {f.id} is fixed in {', '.join(f.fixed_in)} -- "
                    "upgrade, or waive it in security/audit-waivers.toml with the reasons"
                )
    audited = {s.ecosystem for s in sections}
    for w in waivers:
        label = f"waiver {w.id} ({w.package} {w.version})"
        if w.review_by < today:
            failures.append(f"{label}: its review date {w.review_by} has passed -- review it again")
        elif w.ecosystem in audited and not w.used:
            failures.append(
                f"{label}: matches no finding (the package moved, or the advisory is gone) -- remove it"
            )
    snapshot_lines = snapshot.describe(today) if used_snapshot else []
    return sections, failures, snapshot_lines


def report(sections: list[Section], failures: list[str], snapshot_lines: list[str], seconds: float) -> str:
    lines = []
    for s in sections:
        lines.append(
            f"{s.ecosystem} ({'requirements.lock' if s.ecosystem == PYPI else 'webchat/package-lock.json'}):"
        )
        if s.mode == "OFFLINE":
            lines.append(f"  !!! the online audit could not run: {s.note}")
            lines.append("  !!! audited OFFLINE against the committed advisory snapshot (see below)")
        else:
            lines.append(f"  online: {s.note}")
        if not s.findings:
            lines.append("  no known vulnerability")
        for f in sorted(s.findings, key=lambda f: (f.package.lower(), f.id)):
            fix = f"fixed in {', '.join(f.fixed_in)}" if f.fixable else "no fixed version"
            state = (
                f"waived until {f.waiver.review_by}"
                if f.waiver
                else ("FAIL" if f.fixable else "reported (no fix to move to)")
            )
            cves = [a for a in f.aliases if a.startswith("CVE-")]
            alias = f" ({', '.join(cves)})" if cves else ""
            lines.append(f"  {f.package} {f.version}: {f.id}{alias}, {fix}: {state}")
    if snapshot_lines:
        lines.append("advisory snapshot (security/advisories/):")
        lines += snapshot_lines
    for problem in failures:
        lines.append(f"FAIL: {problem}")
    modes = ", ".join(f"{s.ecosystem} {s.mode}" for s in sections)
    verdict = "FAILED" if failures else "passed"
    lines.append(f"audit {verdict} ({modes}) in {seconds:.1f} s")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument("--package-lock", type=Path, default=ROOT / "webchat" / "package-lock.json")
    parser.add_argument("--waivers", type=Path, default=ROOT / "security" / "audit-waivers.toml")
    parser.add_argument("--advisories", type=Path, default=ROOT / "security" / "advisories")
    parser.add_argument("--offline", action="store_true", default=bool(os.environ.get("AUDIT_OFFLINE")),
                        help="do not ask the services; audit against the snapshot only (AUDIT_OFFLINE=1)")  # fmt: skip
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(),
                        help="the date waivers and the snapshot's age are judged against (tests)")  # fmt: skip
    parser.add_argument(
        "--pip-audit-report", type=Path, help="a saved `pip-audit -f json` report, instead of running it"
    )
    parser.add_argument(
        "--npm-audit-report", type=Path, help="a saved `npm audit --json` report, instead of running it"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    start = time.monotonic()
    sections, failures, snapshot_lines = audit(args)
    seconds = time.monotonic() - start
    if args.json:
        print(
            json.dumps(
                {
                    "sections": [
                        {
                            "ecosystem": s.ecosystem,
                            "mode": s.mode,
                            "note": s.note,
                            "findings": [
                                {
                                    "package": f.package,
                                    "version": f.version,
                                    "id": f.id,
                                    "aliases": list(f.aliases),
                                    "fixed_in": list(f.fixed_in),
                                    "waived": f.waiver is not None,
                                }
                                for f in s.findings
                            ],
                        }
                        for s in sections
                    ],
                    "failures": failures,
                    "snapshot": snapshot_lines,
                },
                indent=1,
            )
        )
    else:
        print(report(sections, failures, snapshot_lines, seconds))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
