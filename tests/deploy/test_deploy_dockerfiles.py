"""deploy/*.Dockerfile, parsed by dockerfile-parse: Python 3.10 slim, the locked requirements
installed with pip, the project installed, a non-root user, health checks and ports, no secret in
the image, and build-context ignore files that let in exactly what the Dockerfiles copy. The images
cannot be built here (no registry for base images on these machines): docs/deployment.md says so."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest

from citybot.isolation import _SECRET_NAME
from deploy.files import DEPLOY, DOCKERFILES, REPO_ROOT, dockerfiles, final_stage, instructions

IMAGES = sorted(DOCKERFILES)


@pytest.mark.parametrize("name", IMAGES)
def test_the_image_runs_on_python_3_10_slim(name):
    parsed = dockerfiles()[name]
    assert parsed["baseimage"] == "python:3.10-slim"
    assert final_stage(name)[0] == {"instruction": "FROM", "value": "python:3.10-slim"}


@pytest.mark.parametrize("name", IMAGES)
def test_the_locked_requirements_and_the_project_are_installed_with_pip(name):
    copies = [shlex.split(value) for value in instructions(name, "COPY")]
    lock_copy = next(c for c in copies if "requirements.lock" in c[:-1])
    destination = lock_copy[-1]
    assert {"requirements.lock", "pyproject.toml", "citybot/", "actions/"} <= {
        part for c in copies for part in c[:-1]
    }
    runs = [shlex.split(value) for value in instructions(name, "RUN")]
    installs = [run for run in runs if run[:2] == ["pip", "install"]]
    assert len(installs) == 1, "one pip install: the project, constrained by the lock"
    (install,) = installs
    assert install[install.index("-c") + 1] == f"{destination.rstrip('/')}/requirements.lock"
    assert destination.rstrip("/") in install[install.index("-c") + 2 :], "the project itself"
    assert "-e" not in install and "--no-deps" not in install


@pytest.mark.parametrize("name", IMAGES)
def test_the_servers_run_as_a_user_that_is_not_root(name):
    (user,) = instructions(name, "USER")
    uid, _, gid = user.partition(":")
    assert uid.isdigit() and int(uid) > 0 and gid.isdigit() and int(gid) > 0, (
        "numeric: runAsNonRoot checks it"
    )
    created = " ".join(instructions(name, "RUN"))
    assert f"--uid {uid}" in created and f"--gid {gid}" in created
    stage = final_stage(name)
    position = stage.index({"instruction": "USER", "value": user})
    after = [item["instruction"] for item in stage[position:]]
    assert "RUN" not in after and "COPY" not in after, "nothing runs as root after USER"


@pytest.mark.parametrize("name", IMAGES)
def test_health_check_ports_volumes_and_entry_point(name):
    (check,) = instructions(name, "HEALTHCHECK")
    assert re.search(r"--start-period=\d+s", check) and " CMD " in f" {check} "
    assert instructions(name, "EXPOSE")
    assert instructions(name, "ENTRYPOINT") == ['["/app/deploy/entrypoint.sh"]']
    assert instructions(name, "CMD") == ['["rasa"]' if name == "rasa" else '["actions"]']
    assert "/app/knowledge" in instructions(name, "VOLUME")[0]


@pytest.mark.parametrize("name", IMAGES)
def test_no_secret_is_baked_into_the_image(name):
    envs = dockerfiles()[name]["envs"]
    assert not [variable for variable in envs if _SECRET_NAME.search(variable)]
    assert not [v for v in instructions(name, "ARG") if _SECRET_NAME.search(v)]


def ignore_rules(name: str) -> tuple[list[str], list[str]]:
    """(excluded patterns, re-included paths) of the image's <Dockerfile>.dockerignore."""
    lines = [
        line.strip()
        for line in (DEPLOY / f"{name}.Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return [line for line in lines if not line.startswith("!")], [
        line[1:] for line in lines if line.startswith("!")
    ]


def test_the_two_ignore_files_are_the_same():
    rasa, actions = (DEPLOY / f"{n}.Dockerfile.dockerignore" for n in ("rasa", "actions"))
    assert rasa.read_text(encoding="utf-8") == actions.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", IMAGES)
def test_the_build_context_holds_what_the_dockerfile_copies_and_nothing_else(name):
    excluded, included = ignore_rules(name)
    assert excluded[0] == "**", "everything out, then what is copied back in"
    sources = []
    for value in instructions(name, "COPY") + [
        item["value"]
        for stage in dockerfiles()[name]["stages"][:-1]
        for item in stage
        if item["instruction"] == "COPY"
    ]:
        parts = shlex.split(value)
        if parts[0].startswith("--from="):
            continue
        sources += parts[:-1]
    for source in sources:
        assert (REPO_ROOT / source).exists(), source
        assert source in included or source.rstrip("/") + "/" in included, f"{source} is not in the context"
    # Nothing in the context that no COPY uses (shared by both images: the union of their copies).
    every_copy = set()
    for other in IMAGES:
        for stage in dockerfiles()[other]["stages"]:
            for item in stage:
                if item["instruction"] == "COPY" and not item["value"].startswith("--from="):
                    every_copy |= set(shlex.split(item["value"])[:-1])
    assert set(included) == every_copy


def test_the_entry_point_is_valid_sh_and_executable():
    entrypoint = DEPLOY / "entrypoint.sh"
    assert entrypoint.stat().st_mode & 0o111
    result = subprocess.run(["sh", "-n", str(entrypoint)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
