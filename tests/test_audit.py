"""`make audit` (security/audit.py): the offline auditor flags known-vulnerable versions and passes the
current locks with their waivers; waivers that expired, match nothing or lack their reasons fail;
a service that resolved nothing is not taken as an answer, and one that answered is the verdict.
No network: every run is --offline or reads a saved service report. The auditor runs in its own
virtualenv (.venv-audit, pip-audit's): `make check` makes it; this module makes it when missing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
AUDIT = REPO_ROOT / "security" / "audit.py"
TODAY = "2026-12-04"


@pytest.fixture(scope="module")
def audit_python() -> Path:
    python = REPO_ROOT / ".venv-audit" / "bin" / "python"
    if not (REPO_ROOT / ".venv-audit" / ".installed").exists():
        subprocess.run(["make", "--no-print-directory", ".venv-audit/.installed"], cwd=REPO_ROOT, check=True)
    return python


def run_audit(python: Path, *args: str | Path) -> tuple[int, dict]:
    cmd = [str(python), str(AUDIT), "--json", "--today", TODAY, *map(str, args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def package_lock(tmp_path: Path, packages: dict[str, str]) -> Path:
    """A minimal npm lockfile (v3): {node_modules path: version}."""
    entries = {"": {"name": "fixture", "dependencies": {"rasa-webchat": "1.0.1"}}}
    for where, version in packages.items():
        entries[where] = {"version": version}
    path = tmp_path / "package-lock.json"
    path.write_text(json.dumps({"name": "fixture", "lockfileVersion": 3, "packages": entries}))
    return path


def findings(result: dict) -> dict[tuple[str, str, str], dict]:
    return {(f["package"], f["version"], f["id"]): f for s in result["sections"] for f in s["findings"]}


def test_the_offline_audit_flags_known_vulnerable_versions(audit_python, tmp_path):
    lock = tmp_path / "requirements.lock"
    # sanic 21.12.1: CVE-2022-35920 (our record); idna 3.20: nothing known
    lock.write_text("sanic==21.12.1\nidna==3.20\n")
    npm = package_lock(tmp_path, {"node_modules/ws": "7.4.6", "node_modules/left-pad": "1.3.0"})
    empty = tmp_path / "waivers.toml"
    empty.write_text("")
    code, result = run_audit(
        audit_python, "--offline", "--lock", lock, "--package-lock", npm, "--waivers", empty
    )
    assert code == 1
    found = findings(result)
    assert found[("sanic", "21.12.1", "GHSA-8cw9-5hmv-77w6")]["fixed_in"] == ["21.12.2"]
    assert found[("ws", "7.4.6", "GHSA-3h5v-q93c-6h6q")]["fixed_in"] == ["7.5.10"]
    assert not any(k[0] in ("idna", "left-pad") for k in found)
    failed = "\n".join(result["failures"])
    for needle in ("sanic 21.12.1: GHSA-8cw9-5hmv-77w6 is fixed in 21.12.2", "ws 7.4.6: GHSA-3h5v-q93c-6h6q"):
        assert needle in failed
    assert [s["mode"] for s in result["sections"]] == ["OFFLINE", "OFFLINE"]
    assert any("days ago" in line for line in result["snapshot"])  # the snapshot's age is said


def test_the_current_locks_pass_offline_with_exactly_the_waivers(audit_python):
    code, result = run_audit(audit_python, "--offline")
    assert result["failures"] == [] and code == 0
    found = list(findings(result).values())
    assert found and all(f["waived"] for f in found if f["fixed_in"])
    waived = {(f["package"], f["id"]) for f in found if f["waived"]}
    assert ("aiohttp", "GHSA-9548-qrrj-x5pj") in waived and ("protobuf", "CVE-2025-4565") in waived
    assert not any(f["package"] in ("ws", "socket.io-parser", "cookie") for f in found)  # npm overrides


def waiver(**fields: str) -> str:
    base = {
        "id": "GHSA-8cw9-5hmv-77w6",
        "ecosystem": "PyPI",
        "package": "sanic",
        "version": "21.12.1",
        "constrained_by": "a test",
        "exposure": "a test",
        "reviewed": "2026-11-01",
        "review_by": "2027-01-01",
    }
    base.update(fields)
    body = "\n".join(
        f"{k} = {v}" if k in ("reviewed", "review_by") else f"{k} = {json.dumps(v)}" for k, v in base.items()
    )
    return f"[[waiver]]\n{body}\n"


@pytest.fixture
def sanic_lock(tmp_path) -> tuple[Path, Path]:
    lock = tmp_path / "requirements.lock"
    lock.write_text("sanic==21.12.1\n")
    return lock, package_lock(tmp_path, {})


def test_a_waiver_lets_its_finding_pass_until_its_review_date(audit_python, tmp_path, sanic_lock):
    lock, npm = sanic_lock
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(waiver(id="CVE-2022-35920"))  # an alias of the record's id matches too
    common = ["--offline", "--lock", lock, "--package-lock", npm, "--waivers", waivers]
    code, result = run_audit(audit_python, *common)
    assert code == 0 and result["failures"] == []
    assert findings(result)[("sanic", "21.12.1", "GHSA-8cw9-5hmv-77w6")]["waived"]

    proc = subprocess.run(
        [str(audit_python), str(AUDIT), "--today", "2027-01-02", *map(str, common)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "its review date 2027-01-01 has passed" in proc.stdout
    assert "audit FAILED (PyPI OFFLINE, npm OFFLINE)" in proc.stdout.splitlines()[-1]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"version": "21.12.0"}, "matches no finding"),  # the lock moved on
        ({"id": "GHSA-0000-0000-0000"}, "matches no finding"),  # no such advisory here
        ({"package": "left-pad", "ecosystem": "npm"}, "matches no finding"),
        ({"exposure": ""}, "missing exposure"),
        ({"ecosystem": "pypi"}, "ecosystem must be"),
    ],
)
def test_a_waiver_that_is_stale_unknown_or_incomplete_fails(
    audit_python, tmp_path, sanic_lock, fields, message
):
    lock, npm = sanic_lock
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(waiver() + "\n" + waiver(**fields))
    code, result = run_audit(
        audit_python, "--offline", "--lock", lock, "--package-lock", npm, "--waivers", waivers
    )
    assert code == 1
    assert any(message in f for f in result["failures"]), result["failures"]


def test_pip_audit_resolving_nothing_is_not_an_answer(audit_python, tmp_path, sanic_lock):
    """Where PyPI's JSON API is out of reach, pip-audit skips every package and still says
    "No known vulnerabilities found" with exit 0: the audit must fall back, not pass."""
    lock, npm = sanic_lock
    skipped = {
        "dependencies": [
            {"name": "sanic", "skip_reason": "Dependency not found on PyPI and could not be audited"}
        ]
    }
    report = tmp_path / "pip-audit.json"
    report.write_text(json.dumps(skipped))
    code, result = run_audit(
        audit_python, "--offline", "--lock", lock, "--package-lock", npm, "--pip-audit-report", report
    )
    pypi = result["sections"][0]
    assert pypi["mode"] == "OFFLINE" and "answered for none" in pypi["note"]
    assert code == 1 and ("sanic", "21.12.1", "GHSA-8cw9-5hmv-77w6") in findings(result)


def test_an_answering_service_is_the_verdict(audit_python, tmp_path):
    """Online reports decide: a fixable advisory fails, one without a fixed version is reported only,
    and packages the service had nothing on are audited offline."""
    lock = tmp_path / "requirements.lock"
    lock.write_text("idna==3.20\nsanic==21.12.1\n")
    pip_report = {
        "dependencies": [
            {
                "name": "idna",
                "version": "3.20",
                "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["3.21"], "aliases": []}],
            },
            {"name": "sanic", "skip_reason": "Dependency not found on PyPI and could not be audited"},
        ]
    }
    npm = package_lock(tmp_path, {"node_modules/ws": "7.4.6", "node_modules/html-minifier": "3.5.21"})
    advisory = "https://github.com/advisories/"
    npm_report = {
        "auditReportVersion": 2,
        "vulnerabilities": {
            "ws": {
                "name": "ws",
                "via": [
                    {
                        "source": 1,
                        "name": "ws",
                        "url": advisory + "GHSA-3h5v-q93c-6h6q",
                        "range": ">=2.1.0 <5.2.4 || >=6.0.0 <6.2.3 || >=7.0.0 <7.5.10 || >=8.0.0 <8.17.1",
                    }
                ],
                "nodes": ["node_modules/ws"],
                "fixAvailable": True,
            },
            "html-minifier": {
                "name": "html-minifier",
                "via": [
                    {
                        "source": 2,
                        "name": "html-minifier",
                        "url": advisory + "GHSA-pfq8-rq6v-vf5m",
                        "range": "<=4.0.0",
                    }
                ],
                "nodes": ["node_modules/html-minifier"],
                "fixAvailable": False,
            },
            "engine.io-client": {
                "name": "engine.io-client",
                "via": ["ws"],
                "nodes": ["node_modules/engine.io-client"],
            },
        },
    }
    (tmp_path / "pip.json").write_text(json.dumps(pip_report))
    (tmp_path / "npm.json").write_text(json.dumps(npm_report))
    empty = tmp_path / "waivers.toml"
    empty.write_text("")
    code, result = run_audit(
        audit_python,
        *("--lock", lock, "--package-lock", npm, "--waivers", empty),
        *("--pip-audit-report", tmp_path / "pip.json", "--npm-audit-report", tmp_path / "npm.json"),
    )
    assert code == 1
    assert [s["mode"] for s in result["sections"]] == ["online", "online"]
    found = findings(result)
    assert found[("idna", "3.20", "PYSEC-2099-1")]["fixed_in"] == ["3.21"]
    assert ("sanic", "21.12.1", "GHSA-8cw9-5hmv-77w6") in found  # skipped online: audited offline
    assert found[("ws", "7.4.6", "GHSA-3h5v-q93c-6h6q")]["fixed_in"] == ["7.5.10"]
    assert found[("html-minifier", "3.5.21", "GHSA-pfq8-rq6v-vf5m")]["fixed_in"] == []
    assert len(result["failures"]) == 3  # idna, sanic, ws; not html-minifier (no fix)
    assert not any("engine.io-client" in f for f in result["failures"])


def test_osv_ranges_follow_each_ecosystems_version_order(audit_python, tmp_path):
    """OSV range walking: unsorted events, last_affected (inclusive, no fix), PEP 440 pre-releases
    for PyPI, SemVer 2.0 pre-releases for npm."""
    records = [
        {
            "id": "TEST-PYPI-1",
            "affected": [
                {
                    "package": {"ecosystem": "PyPI", "name": "Some_Pkg"},
                    "ranges": [
                        {
                            "type": "ECOSYSTEM",
                            "events": [
                                {"introduced": "2.0"},
                                {"fixed": "2.1"},
                                {"introduced": "0"},
                                {"fixed": "1.5"},
                            ],
                        }
                    ],
                }
            ],
        },
        {
            "id": "TEST-NPM-1",
            "affected": [
                {
                    "package": {"ecosystem": "npm", "name": "pkg"},
                    "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"fixed": "1.10.0"}]}],
                }
            ],
        },
        {
            "id": "TEST-NPM-2",
            "affected": [
                {
                    "package": {"ecosystem": "npm", "name": "other"},
                    "ranges": [
                        {"type": "SEMVER", "events": [{"introduced": "0"}, {"last_affected": "2.0.0"}]}
                    ],
                }
            ],
        },
    ]
    folder = tmp_path / "advisories"
    folder.mkdir()
    snapshot = {"source": "test", "covers_through": TODAY, "taken": TODAY, "records": records}
    (folder / "test.json").write_text(json.dumps(snapshot))
    empty = tmp_path / "waivers.toml"
    empty.write_text("")

    def affected(pypi: list[str], npm: dict[str, str]) -> set[tuple[str, str, tuple[str, ...]]]:
        lock = tmp_path / "requirements.lock"
        lock.write_text("".join(f"{p}\n" for p in pypi))
        pl = package_lock(tmp_path, npm)
        _, result = run_audit(
            audit_python,
            "--offline",
            "--lock",
            lock,
            "--package-lock",
            pl,
            "--waivers",
            empty,
            "--advisories",
            folder,
        )
        return {(f["package"], f["version"], tuple(f["fixed_in"])) for f in findings(result).values()}

    hits = affected(
        ["some.pkg==1.4", "some-pkg==1.5", "SOME_PKG==2.1rc1", "some_pkg==2.1"],
        {
            "node_modules/pkg": "1.9.0",
            "node_modules/a/node_modules/pkg": "1.10.0-beta.1",
            "node_modules/d/node_modules/pkg": "1.10.0-next.1",  # SemVer, not PEP 440
            "node_modules/b/node_modules/pkg": "1.10.0",
            "node_modules/other": "2.0.0",
            "node_modules/c/node_modules/other": "2.0.1",
        },
    )
    assert hits == {
        ("some.pkg", "1.4", ("1.5",)),  # PEP 503 names: some.pkg, Some_Pkg, some-pkg are one package
        ("SOME_PKG", "2.1rc1", ("2.1",)),  # a pre-release of the fix is still affected
        ("pkg", "1.9.0", ("1.10.0",)),  # 1.9.0 < 1.10.0 as versions, not as strings
        ("pkg", "1.10.0-beta.1", ("1.10.0",)),
        ("pkg", "1.10.0-next.1", ("1.10.0",)),
        ("other", "2.0.0", ()),  # last_affected: affected, and no fixed version
    }
