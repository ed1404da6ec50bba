"""The lock lifetime the cluster test measured is the one the deployment runs with.

A replica killed mid-turn leaves its conversation's ticket in Redis; the other replica answers that
conversation again only when the ticket expires, after TICKET_LOCK_LIFETIME seconds (Rasa's default
60). `make cluster-test` measured the stall with its own default (scripts/bench/cluster/run.py,
``--ticket-lifetime``), and docs/deployment.md reports it: that default is the one value, and the
compose file, the Kubernetes settings and the documentation must say the same, or the figures would
describe a deployment nobody runs.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys

from deploy.files import REPO_ROOT, container_env_names

VARIABLE = "TICKET_LOCK_LIFETIME"
CLUSTER_RUN = REPO_ROOT / "scripts" / "bench" / "cluster" / "run.py"
DOCS = REPO_ROOT / "docs" / "deployment.md"


def cluster_test_lifetime() -> int:
    """The ``--ticket-lifetime`` default of the cluster run, read from its code: importing the script
    would put its own folder and tests/ on the import path of this test session."""
    tree = ast.parse(CLUSTER_RUN.read_text(encoding="utf-8"))
    found = [
        keyword.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "add_argument"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "--ticket-lifetime"
        for keyword in node.keywords
        if keyword.arg == "default" and isinstance(keyword.value, ast.Constant)
    ]
    (lifetime,) = found
    assert isinstance(lifetime, int) and lifetime > 0
    return lifetime


def test_compose_and_kubernetes_give_the_rasa_replicas_the_measured_lifetime(compose, k8s):
    lifetime = str(cluster_test_lifetime())
    assert compose["services"]["rasa"]["environment"][VARIABLE] == lifetime
    assert k8s[("ConfigMap", "citybot-settings")]["data"][VARIABLE] == lifetime
    assert VARIABLE in container_env_names(k8s[("Deployment", "citybot-rasa")], k8s)


def test_the_deployment_guide_gives_the_same_lifetime():
    lifetime = str(cluster_test_lifetime())
    text = DOCS.read_text(encoding="utf-8")
    (row,) = [line for line in text.splitlines() if line.startswith(f"| `{VARIABLE}`")]
    example = row.split("|")[3]
    assert re.match(rf"\s*`{lifetime}`", example), row
    settings = re.findall(rf"`{VARIABLE}=(\d+)`", text)
    assert settings and set(settings) == {lifetime}, settings


def test_rasa_and_the_projects_lock_store_read_that_variable():
    """The name is Rasa's own (read once, on import): the lock store's tickets then live that long."""
    lifetime = cluster_test_lifetime()
    probe = (
        "import inspect, rasa.core.lock_store as rasa_locks; from citybot.lock_store import AtomicRedisLockStore;"
        "print(rasa_locks.LOCK_LIFETIME,"
        " inspect.signature(AtomicRedisLockStore.issue_ticket).parameters['lock_lifetime'].default)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
        env={**os.environ, VARIABLE: str(lifetime)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(lifetime), str(lifetime)]
