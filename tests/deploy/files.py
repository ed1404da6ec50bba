"""The deployment files (deploy/) as the tests read them, and the deployment tools' virtualenv.

The tools (kubernetes-validate and its Kubernetes schemas, dockerfile-parse) live in .venv-deploy,
from the hashed lock deploy/tools/deploy-tools.lock: kubernetes-validate needs jsonschema>=4.23 and
Rasa 3.6 pins jsonschema<4. `make deploy-check` makes it; `deploy_python()` makes it when missing
(from the package registry or the machine's wheels: the one step that may use the network; the
checks themselves never do).
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "deploy"
K8S = DEPLOY / "k8s"
DEPLOY_VENV = REPO_ROOT / ".venv-deploy"
DOCKERFILES = {"rasa": DEPLOY / "rasa.Dockerfile", "actions": DEPLOY / "actions.Dockerfile"}

#: `${NAME}`, `${NAME:-default}`, `${NAME:?message}` in compose and endpoint files.
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


@functools.cache
def deploy_python() -> Path:
    """The tools' Python, after making .venv-deploy if needed (`make .venv-deploy/.installed`)."""
    if not (DEPLOY_VENV / ".installed").exists():
        subprocess.run(["make", "--no-print-directory", ".venv-deploy/.installed"], cwd=REPO_ROOT, check=True)
    return DEPLOY_VENV / "bin" / "python"


@functools.cache
def dockerfiles() -> dict[str, dict[str, Any]]:
    """Each Dockerfile parsed by dockerfile-parse (tests/deploy/dockerfile_json.py), by image name."""
    script = Path(__file__).with_name("dockerfile_json.py")
    result = subprocess.run(
        [str(deploy_python()), str(script), *map(str, DOCKERFILES.values())],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    return {name: parsed[str(path)] for name, path in DOCKERFILES.items()}


def final_stage(name: str) -> list[dict[str, str]]:
    """The instructions of the image's last stage (what runs)."""
    return dockerfiles()[name]["stages"][-1]


def instructions(name: str, kind: str) -> list[str]:
    return [item["value"] for item in final_stage(name) if item["instruction"] == kind]


def load_yaml_documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def k8s_manifests() -> list[Path]:
    """Every Kubernetes manifest in deploy/k8s (kustomization.yaml is kustomize's, not one)."""
    return sorted(p for p in K8S.rglob("*.yaml") if p.name != "kustomization.yaml")


def k8s_objects() -> dict[tuple[str, str], dict[str, Any]]:
    """(kind, name) -> object, over every manifest."""
    found = {}
    for path in k8s_manifests():
        for doc in load_yaml_documents(path):
            found[(doc["kind"], doc["metadata"]["name"])] = doc
    return found


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yml").read_text(encoding="utf-8"))


def env_example() -> dict[str, str]:
    """deploy/.env.example as name -> value."""
    values = {}
    for line in (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


def container_env_names(deployment: dict[str, Any], objects: dict[tuple[str, str], Any]) -> set[str]:
    """Every variable a Deployment's container gets: `env` and the ConfigMaps of `envFrom`."""
    spec = container(deployment)
    names = {item["name"] for item in spec.get("env", [])}
    for source in spec.get("envFrom", []):
        names |= set(objects[("ConfigMap", source["configMapRef"]["name"])]["data"])
    return names


def endpoint_variables(path: Path) -> set[str]:
    """The `${VAR}` names an endpoints file needs (Rasa refuses to start when one is unset)."""
    text = "\n".join(line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())
    return {match.group(1) for match in INTERPOLATION.finditer(text)}
