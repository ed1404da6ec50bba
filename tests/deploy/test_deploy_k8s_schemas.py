"""Every Kubernetes manifest in deploy/k8s validates, offline, against Kubernetes' own JSON schemas
(kubernetes-validate, which ships them; strict: an unknown field is an error, not a silent no-op),
and kustomization.yaml ties exactly the manifests it should. No network: the validator runs with
every proxy variable pointing at a closed port, so any attempt to fetch a schema would fail."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from deploy.files import K8S, REPO_ROOT, k8s_manifests

#: The cluster version the manifests are written for (the schemas the package ships).
KUBERNETES_VERSION = "1.30.0"
#: No network at test time: a proxy that refuses every connection.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
#: In deploy/k8s but not applied by `kubectl apply -k` (each file says why).
NOT_IN_KUSTOMIZATION = {"secret.template.yaml", "tools/loader-pod.yaml"}


def validate(deploy_python: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    tool = deploy_python.parent / "kubernetes-validate"
    return subprocess.run(
        [str(tool), "--strict", "--kubernetes-version", KUBERNETES_VERSION, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", **OFFLINE},
    )


def test_every_manifest_validates_against_the_kubernetes_schemas(deploy_python):
    manifests = k8s_manifests()
    assert len(manifests) >= 9
    result = validate(deploy_python, *manifests)
    assert result.returncode == 0, result.stdout + result.stderr
    passed = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if " passed " in line]
    documents = sum(
        1 for path in manifests for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc
    )
    assert len(passed) == documents, result.stdout + result.stderr


def test_the_validator_rejects_a_broken_manifest(deploy_python, tmp_path):
    """So that a pass above means something: a misspelt field and a wrong type both fail."""
    text = (K8S / "rasa.yaml").read_text(encoding="utf-8")
    for broken in (
        text.replace("replicas: 2", "replicaz: 2"),
        text.replace("replicas: 2", 'replicas: "two"'),
    ):
        path = tmp_path / "broken.yaml"
        path.write_text(broken, encoding="utf-8")
        result = validate(deploy_python, path)
        assert result.returncode != 0, result.stdout + result.stderr
        assert "deployment/citybot-rasa" in result.stdout + result.stderr


def test_the_kustomization_ties_every_manifest_but_the_template_and_the_loader():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    listed = set(kustomization["resources"])
    on_disk = {str(path.relative_to(K8S)) for path in k8s_manifests()}
    assert listed <= on_disk, listed - on_disk
    assert on_disk - listed == NOT_IN_KUSTOMIZATION
    assert kustomization["namespace"] == "citybot"
    assert {image["name"] for image in kustomization["images"]} == {"citybot-rasa", "citybot-actions"}


def test_the_loader_pod_gets_the_same_images_as_the_rest():
    """`kubectl apply -k deploy/k8s/tools` starts the loader: from your registry, as the servers."""
    main = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    tools = yaml.safe_load((K8S / "tools" / "kustomization.yaml").read_text(encoding="utf-8"))
    assert tools["resources"] == ["loader-pod.yaml"]
    assert tools["namespace"] == main["namespace"]
    assert tools["images"] == main["images"]
