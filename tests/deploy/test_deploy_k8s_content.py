"""What the cluster manifests must say beyond their schema: two replicas of Rasa and of the action
server with probes and resources, non-root pods (the images' user), sticky socket.io at the Ingress,
secrets only in the Secret template (placeholders, not applied by kustomize), PostgreSQL and Redis
outside the cluster, the model and the knowledge base as read-only volumes."""

from __future__ import annotations

from citybot.isolation import _SECRET_NAME
from deploy.files import K8S, container, instructions, load_yaml_documents

SERVERS = ("citybot-rasa", "citybot-actions")


def pod(k8s, name):
    return k8s[("Deployment", name)]["spec"]["template"]["spec"]


def test_rasa_and_the_action_servers_run_two_replicas_with_probes_and_resources(k8s):
    for name in SERVERS:
        deployment = k8s[("Deployment", name)]
        assert deployment["spec"]["replicas"] == 2, name
        spec = container(deployment)
        assert spec["readinessProbe"] and spec["livenessProbe"], name
        assert spec["resources"]["requests"]["memory"] and spec["resources"]["limits"]["memory"], name
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
        service = k8s[("Service", name)]
        assert service["spec"]["selector"] == selector
    rasa = container(k8s[("Deployment", "citybot-rasa")])
    # The model takes minutes to load on 2 cores: a start probe, so liveness does not kill it first.
    startup = rasa["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 300
    assert k8s[("Deployment", "citybot-rasa")]["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_the_pods_run_as_the_images_user_without_privileges(k8s):
    uid, _, gid = instructions("rasa", "USER")[0].partition(":")
    assert instructions("actions", "USER")[0] == f"{uid}:{gid}"
    for name in (*SERVERS, "citybot-page"):
        spec = pod(k8s, name)
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert (spec["securityContext"]["runAsUser"], spec["securityContext"]["runAsGroup"]) == (
            int(uid),
            int(gid),
        )
        assert spec["enableServiceLinks"] is False, "Service variables could shadow RASA_PORT and co."
        assert spec["automountServiceAccountToken"] is False
        security = container(k8s[("Deployment", name)])["securityContext"]
        assert security["allowPrivilegeEscalation"] is False and security["capabilities"]["drop"] == ["ALL"]


def test_the_ingress_is_sticky_for_socketio_and_publishes_only_the_page_socket_and_webhooks(k8s):
    ingress = k8s[("Ingress", "citybot")]
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert annotations["nginx.ingress.kubernetes.io/session-cookie-name"]
    assert ingress["spec"]["ingressClassName"] == "nginx"
    (rule,) = ingress["spec"]["rules"]
    routes = {p["path"]: p["backend"]["service"]["name"] for p in rule["http"]["paths"]}
    assert routes == {"/socket.io/": "citybot-rasa", "/webhooks/": "citybot-rasa", "/": "citybot-page"}
    assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]
    settings = k8s[("ConfigMap", "citybot-settings")]["data"]
    assert settings["CITYBOT_ALLOWED_ORIGINS"] == f"https://{rule['host']}"
    page_env = {e["name"]: e.get("value") for e in container(k8s[("Deployment", "citybot-page")])["env"]}
    assert page_env["RASA_URL"] == f"https://{rule['host']}"


def test_secrets_come_from_the_secret_whose_template_holds_placeholders_only(k8s):
    (template,) = load_yaml_documents(K8S / "secret.template.yaml")
    assert template["kind"] == "Secret" and template["metadata"]["name"] == "citybot-secrets"
    assert all("CHANGE-ME" in value for value in template["stringData"].values())
    assert "PLACEHOLDER" in (K8S / "secret.template.yaml").read_text(encoding="utf-8")
    assert not [key for key in k8s[("ConfigMap", "citybot-settings")]["data"] if _SECRET_NAME.search(key)]
    for name in (*SERVERS, "citybot-page"):
        for item in container(k8s[("Deployment", name)]).get("env", []):
            reference = item.get("valueFrom", {}).get("secretKeyRef")
            if _SECRET_NAME.search(item["name"]) or item["name"] == "TRACKER_STORE_URL":
                assert reference and reference["name"] == "citybot-secrets", (name, item["name"])
            if reference and not reference.get("optional"):
                assert reference["key"] in template["stringData"], (name, reference["key"])


def test_postgresql_and_redis_are_outside_the_cluster(k8s):
    service = k8s[("Service", "citybot-postgres")]
    assert service["spec"]["type"] == "ExternalName" and service["spec"]["externalName"]
    assert [p["port"] for p in service["spec"]["ports"]] == [5432]
    (template,) = load_yaml_documents(K8S / "secret.template.yaml")
    assert "@citybot-postgres:5432/citybot?sslmode=require" in template["stringData"]["TRACKER_STORE_URL"]
    # Redis by its own name: the lock store checks the certificate's host name, which names no alias.
    settings = k8s[("ConfigMap", "citybot-settings")]["data"]
    assert settings["LOCK_STORE_USE_SSL"] == "true", "the link to Redis leaves the cluster"
    assert "." in settings["LOCK_STORE_HOST"] and settings["LOCK_STORE_PORT"] == "6379"
    assert not [name for kind, name in k8s if kind == "Service" and "redis" in name]
    assert not [key for key in k8s if key[0] == "StatefulSet"], "no database in the cluster"


def test_the_model_and_the_knowledge_base_are_read_only_volumes(k8s):
    mounts = {
        name: {m["mountPath"]: m for m in container(k8s[("Deployment", name)])["volumeMounts"]}
        for name in SERVERS
    }
    assert set(mounts["citybot-rasa"]) == {"/app/models", "/app/knowledge"}
    assert set(mounts["citybot-actions"]) == {"/app/knowledge"}
    for name in SERVERS:
        volumes = {v["name"]: v for v in pod(k8s, name)["volumes"]}
        for mount in mounts[name].values():
            assert mount["readOnly"] is True
            claim = volumes[mount["name"]]["persistentVolumeClaim"]
            assert claim["readOnly"] is True
            assert ("PersistentVolumeClaim", claim["claimName"]) in k8s
    loader = k8s[("Pod", "citybot-loader")]["spec"]
    assert {v["persistentVolumeClaim"]["claimName"] for v in loader["volumes"]} == {
        "citybot-models",
        "citybot-knowledge",
    }
