"""The containers run what `make run` runs, with the same ports and variables: the launcher
(citybot/launcher.py), its doors (citybot/doors.py), the children's environments
(citybot/isolation.py), the channel variables (citybot/channels/credentials.py) and the endpoints
file are read from the code here, so renaming a variable, a port or a path on one side only fails
a test. The entry point (deploy/entrypoint.sh) is run for real, with stand-ins for `rasa` and
`python -m citybot.webchat` that print the command they were given."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from citybot import doors, launcher, paths
from citybot.channels import origins, session_tokens
from citybot.channels.credentials import ENV_CHANNELS, build, render
from citybot.isolation import Environments, child_environments
from deploy.files import (
    DEPLOY,
    REPO_ROOT,
    container,
    container_env_names,
    dockerfiles,
    endpoint_variables,
    instructions,
)

SCALED_ENDPOINTS = REPO_ROOT / "bot" / "endpoints.scaled.yml"
ENTRYPOINT = DEPLOY / "entrypoint.sh"
#: Which image serves which of the launcher's servers.
IMAGE_OF = {launcher.RASA_SERVER: "rasa", launcher.WEBCHAT_PAGE: "rasa", launcher.ACTION_SERVER: "actions"}
PORT_ENV = {
    launcher.RASA_SERVER: "RASA_PORT",
    launcher.ACTION_SERVER: "ACTIONS_PORT",
    launcher.WEBCHAT_PAGE: "WEBCHAT_PORT",
}
HOST_ENV = {
    launcher.RASA_SERVER: doors.RASA_HOST_ENV,
    launcher.ACTION_SERVER: doors.ACTIONS_HOST_ENV,
    launcher.WEBCHAT_PAGE: doors.WEBCHAT_HOST_ENV,
}
#: The deployments' names for each server, in compose and in Kubernetes.
COMPOSE_SERVICE = {
    launcher.RASA_SERVER: "rasa",
    launcher.ACTION_SERVER: "actions",
    launcher.WEBCHAT_PAGE: "page",
}
K8S_DEPLOYMENT = {k: f"citybot-{v}" for k, v in COMPOSE_SERVICE.items()}


def launcher_port_defaults() -> dict[str, int]:
    """`port("RASA_PORT", 5005)`... as the launcher's code calls it."""
    tree = ast.parse(Path(launcher.__file__).read_text(encoding="utf-8"))
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "port":
            name, default = node.args
            assert isinstance(name, ast.Constant) and isinstance(default, ast.Constant)
            found[name.value] = default.value
    return found


@pytest.fixture(scope="module")
def launched() -> dict[str, launcher.Service]:
    """The launcher's three services, as `make run` builds them with the default ports."""
    defaults = launcher_port_defaults()
    opened = launcher.doors(
        {}, defaults[PORT_ENV[launcher.RASA_SERVER]], defaults[PORT_ENV[launcher.ACTION_SERVER]],
        defaults[PORT_ENV[launcher.WEBCHAT_PAGE]],
    )  # fmt: skip
    empty = Environments(rasa={}, actions={}, page={})
    services = launcher.services(opened, Path("var/credentials.yml"), empty, ("http://o.example",), None)
    return {service.name: service for service in services}


def test_the_launcher_still_has_the_ports_and_servers_these_tests_read():
    assert set(launcher_port_defaults()) == set(PORT_ENV.values())


def test_the_images_listen_on_the_launchers_ports_on_every_interface(launched):
    defaults = launcher_port_defaults()
    for server, service in launched.items():
        image = dockerfiles()[IMAGE_OF[server]]
        variable = PORT_ENV[server]
        assert image["envs"][variable] == str(defaults[variable]) == str(service.port), (server, variable)
        assert str(service.port) in " ".join(instructions(IMAGE_OF[server], "EXPOSE")).split(), server
        assert image["envs"][HOST_ENV[server]] == "0.0.0.0", server
        assert doors.bind_host(image["envs"], HOST_ENV[server]) == "0.0.0.0"


def test_the_images_set_what_the_launcher_sets_for_its_children(monkeypatch):
    for name in ("RASA_TELEMETRY_ENABLED", "TF_CPP_MIN_LOG_LEVEL"):  # `make` exports the first
        monkeypatch.delenv(name, raising=False)
    forced = {
        name: value for name, value in launcher.child_environment(5055).items() if name not in os.environ
    }
    assert forced.get("RASA_TELEMETRY_ENABLED") == "false"
    rasa = dockerfiles()["rasa"]["envs"]
    for name in ("RASA_TELEMETRY_ENABLED", "TF_CPP_MIN_LOG_LEVEL"):
        assert rasa[name] == forced[name], name
    assert dockerfiles()["actions"]["envs"]["RASA_TELEMETRY_ENABLED"] == "false"
    # What the launcher gives the Rasa server only (citybot/isolation.py).
    given = child_environments({}, "t" * 16, "127.0.0.1").rasa
    assert rasa["SANIC_REQUEST_MAX_SIZE"] == given["SANIC_REQUEST_MAX_SIZE"] == str(doors.RASA_MAX_BODY_BYTES)
    assert "SANIC_REQUEST_MAX_SIZE" not in dockerfiles()["actions"]["envs"]


def test_the_images_read_the_knowledge_base_and_the_model_from_their_volumes(launched):
    for name, image in dockerfiles().items():
        assert image["envs"][paths.KNOWLEDGE_ENV] == "/app/knowledge", name
        assert image["envs"][paths.VAR_ENV] == "/app/var", name
        assert "/app/knowledge" in " ".join(instructions(name, "VOLUME")), name
    command = launched[launcher.RASA_SERVER].command
    model = command[command.index("--model") + 1]
    assert dockerfiles()["rasa"]["envs"]["CITYBOT_MODEL_FILE"] == f"/app/{model}"
    assert "/app/models" in " ".join(instructions("rasa", "VOLUME"))


def test_the_health_checks_and_probes_ask_the_launchers_ready_paths(launched, compose, k8s):
    for server, service in launched.items():
        ready = urlsplit(service.ready_url)
        url = f"http://127.0.0.1:{ready.port}{ready.path}"
        if server != launcher.WEBCHAT_PAGE:  # the page shares the Rasa image: compose sets its check
            (check,) = instructions(IMAGE_OF[server], "HEALTHCHECK")
            expected = f"http://127.0.0.1:%s{ready.path}' % os.environ['{PORT_ENV[server]}']"
            assert expected in check, (server, check)
        assert url in " ".join(compose["services"][COMPOSE_SERVICE[server]]["healthcheck"]["test"]), server
        spec = container(k8s[("Deployment", K8S_DEPLOYMENT[server])])
        (port,) = spec["ports"]
        assert port["containerPort"] == ready.port, server
        for probe in ("readinessProbe", "livenessProbe"):
            assert spec[probe]["httpGet"] == {"path": ready.path, "port": port["name"]}, (server, probe)


def test_the_rasa_replicas_get_every_variable_of_the_endpoints_file(compose, k8s):
    needed = endpoint_variables(SCALED_ENDPOINTS)
    assert {
        "ACTION_ENDPOINT_URL",
        "TRACKER_STORE_URL",
        "LOCK_STORE_PASSWORD",
        doors.ACTION_TOKEN_ENV,
    } <= needed
    assert needed <= set(compose["services"]["rasa"]["environment"])
    assert needed <= container_env_names(k8s[("Deployment", "citybot-rasa")], k8s)


def test_the_rasa_replicas_get_every_channel_variable_and_the_page_settings(compose, k8s):
    channel_vars = {v for c in ENV_CHANNELS for v in (*c.required.values(), *c.optional.values())}
    page_vars = {session_tokens.SECRET_ENV, origins.ORIGINS_ENV}
    compose_env = set(compose["services"]["rasa"]["environment"])
    k8s_env = container_env_names(k8s[("Deployment", "citybot-rasa")], k8s)
    assert channel_vars | page_vars <= compose_env, (channel_vars | page_vars) - compose_env
    assert channel_vars | page_vars <= k8s_env, (channel_vars | page_vars) - k8s_env
    optional = {
        item["name"]
        for item in container(k8s[("Deployment", "citybot-rasa")])["env"]
        if item.get("valueFrom", {}).get("secretKeyRef", {}).get("optional")
    }
    assert optional == channel_vars  # a channel is off unless its keys are in the Secret


def test_the_action_servers_get_their_token_and_nothing_the_launcher_keeps_from_them(compose, k8s):
    """As citybot/isolation.py: the action server loses the Rasa-only variables but gets the token."""
    for rasa_env, actions_env in (
        (set(compose["services"]["rasa"]["environment"]), set(compose["services"]["actions"]["environment"])),
        (
            container_env_names(k8s[("Deployment", "citybot-rasa")], k8s),
            container_env_names(k8s[("Deployment", "citybot-actions")], k8s),
        ),
    ):
        allowed = child_environments(dict.fromkeys(rasa_env, "x"), "t" * 16, "0.0.0.0").actions
        assert doors.ACTION_TOKEN_ENV in actions_env
        assert actions_env <= set(allowed), actions_env - set(allowed)
        assert actions_env == {doors.ACTION_TOKEN_ENV}


def nginx_block(conf: str, head: str) -> str:
    """The body of the one ``<head> {...}`` block of an nginx file (blocks of one nesting level)."""
    (body,) = re.findall(rf"^\s*{re.escape(head)} \{{(.*?)^\s*\}}", conf, re.DOTALL | re.MULTILINE)
    return body


def test_in_compose_the_replicas_reach_the_action_servers_through_nginx(launched, compose):
    """`--scale actions=2` puts two action servers behind deploy/nginx/actions.conf, as the cluster
    test runs them: Rasa calls the balancer, which replays a call a dying action server dropped."""
    services = compose["services"]
    url = urlsplit(services["rasa"]["environment"]["ACTION_ENDPOINT_URL"])
    balancer = services[url.hostname]
    assert balancer["volumes"] == ["./nginx/actions.conf:/etc/nginx/conf.d/default.conf:ro"]
    conf = (DEPLOY / "nginx" / "actions.conf").read_text(encoding="utf-8")
    assert re.findall(r"^\s*listen (\d+);", conf, re.MULTILINE) == [str(url.port)]
    webhook = nginx_block(conf, f"location = {url.path}")
    assert "non_idempotent" in re.search(r"proxy_next_upstream ([^;]*);", webhook).group(1)
    port = launcher_port_defaults()["ACTIONS_PORT"]
    upstream = re.search(r"proxy_pass http://(\w+);", webhook).group(1)
    servers = re.findall(
        r"^\s*server (\S+?):(\d+)\b", nginx_block(conf, f"upstream {upstream}"), re.MULTILINE
    )
    assert servers == [(COMPOSE_SERVICE[launcher.ACTION_SERVER], str(port))]
    # Private, started after the action servers, and ready when one answers through it.
    assert balancer["networks"] == ["backend"] and "ports" not in balancer
    assert balancer["depends_on"] == {"actions": {"condition": "service_healthy"}}
    assert services["rasa"]["depends_on"][url.hostname] == {"condition": "service_healthy"}
    ready = urlsplit(launched[launcher.ACTION_SERVER].ready_url).path
    assert f"/dev/tcp/127.0.0.1/{url.port} " in balancer["healthcheck"]["test"][-1]
    assert f"GET {ready} HTTP" in balancer["healthcheck"]["test"][-1]
    assert nginx_block(conf, f"location = {ready}")


def test_in_kubernetes_the_replicas_reach_the_ready_action_servers_through_their_service(launched, k8s):
    """ACTION_ENDPOINT_URL names the Service, on its port; the Service sends to the action servers'
    named port, the one their readiness probe asks: a pod is called only once it answers there."""
    url = urlsplit(k8s[("ConfigMap", "citybot-settings")]["data"]["ACTION_ENDPOINT_URL"])
    deployment = k8s[("Deployment", K8S_DEPLOYMENT[launcher.ACTION_SERVER])]
    service = k8s[("Service", url.hostname)]
    assert service["metadata"]["namespace"] == deployment["metadata"]["namespace"]
    assert service["spec"]["selector"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    (service_port,) = service["spec"]["ports"]
    assert (url.scheme, url.port, url.path) == ("http", service_port["port"], "/webhook")
    spec = container(deployment)
    (container_port,) = spec["ports"]
    assert service_port["targetPort"] == container_port["name"]
    assert container_port["containerPort"] == launcher_port_defaults()["ACTIONS_PORT"]
    ready = urlsplit(launched[launcher.ACTION_SERVER].ready_url).path
    assert spec["readinessProbe"]["httpGet"] == {"path": ready, "port": container_port["name"]}


def test_the_proxies_refuse_what_the_rasa_server_would_refuse(k8s):
    kib = doors.RASA_MAX_BODY_BYTES // 1024
    conf = (DEPLOY / "nginx" / "citybot.conf").read_text(encoding="utf-8")
    assert re.search(rf"^\s*client_max_body_size {kib}k;", conf, re.MULTILINE)
    annotations = k8s[("Ingress", "citybot")]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/proxy-body-size"] == f"{kib}k"
    rasa_port, page_port = launcher_port_defaults()["RASA_PORT"], launcher_port_defaults()["WEBCHAT_PORT"]
    assert f"server rasa:{rasa_port} " in conf and f"server page:{page_port};" in conf


# ----- the entry point, run with stand-ins for the servers -------------------------------------------

STAND_IN = """#!{python}
import json, sys
print(json.dumps(sys.argv[1:]))
"""


def run_entrypoint(tmp_path: Path, role: str, stand_in: str, extra_env: dict[str, str] | None = None):
    """deploy/entrypoint.sh `role` in the image's environment, `stand_in` printing its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / stand_in
    script.write_text(STAND_IN.format(python=sys.executable), encoding="utf-8")
    script.chmod(0o755)
    env = dict(dockerfiles()["rasa" if role != "actions" else "actions"]["envs"])
    env.update(
        PATH=f"{bin_dir}:{Path(sys.executable).parent}:/usr/bin:/bin",
        CITYBOT_VAR=str(tmp_path / "var"),
        HOME=str(tmp_path),
        **(extra_env or {}),
    )
    return subprocess.run(
        ["sh", str(ENTRYPOINT), role], capture_output=True, text=True, timeout=120, cwd=REPO_ROOT, env=env
    )


def test_the_rasa_container_runs_the_launchers_command_with_the_scaled_endpoints(tmp_path, launched):
    origin = "https://bot.example.org"
    result = run_entrypoint(tmp_path, "rasa", "rasa", {origins.ORIGINS_ENV: origin})
    assert result.returncode == 0, result.stderr
    given = json.loads(result.stdout)
    expected = launched[launcher.RASA_SERVER].command[1:]
    options = {flag: expected.index(flag) for flag in expected if flag.startswith("--")}
    values = {
        "--model": "/app/models/citybot.tar.gz",
        "--endpoints": "bot/endpoints.scaled.yml",
        "--credentials": str(tmp_path / "var" / "credentials.yml"),
        "--interface": "0.0.0.0",
        "--port": dockerfiles()["rasa"]["envs"]["RASA_PORT"],
    }
    assert set(values) | {"--cors"} == set(options), "the launcher passes an option the container does not"
    rebuilt = expected[: options["--model"]]
    for flag in sorted(values, key=options.get):
        rebuilt += [flag, values[flag]]
    assert given == [*rebuilt, "--cors", origin]
    assert expected[options["--endpoints"] + 1] == "bot/endpoints.yml" and SCALED_ENDPOINTS.is_file()
    # The credentials file is the one `make run` writes for this environment: placeholders only.
    written = (tmp_path / "var" / "credentials.yml").read_text(encoding="utf-8")
    assert written == render(build({origins.ORIGINS_ENV: origin}))


def test_the_actions_container_runs_the_launchers_command(tmp_path, launched):
    result = run_entrypoint(tmp_path, "actions", "rasa")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == launched[launcher.ACTION_SERVER].command[1:]


def test_the_page_container_serves_on_its_door_and_tells_browsers_where_rasa_is(tmp_path, launched):
    result = run_entrypoint(tmp_path, "page", "python", {"RASA_URL": "https://bot.example.org"})
    assert result.returncode == 0, result.stderr
    given = json.loads(result.stdout)
    expected = launched[launcher.WEBCHAT_PAGE].command[1:]
    assert given[:2] == expected[:2] == ["-m", "citybot.webchat"]
    assert given[2:] == ["--host", "0.0.0.0", "--port", dockerfiles()["rasa"]["envs"]["WEBCHAT_PORT"]]
    # The page reads RASA_URL itself when --rasa-url is not given (citybot/webchat.py).
    from citybot.webchat import parse_args

    assert (
        parse_args(given[2:], {"RASA_URL": "https://bot.example.org"}).rasa_url == "https://bot.example.org"
    )


def test_a_placeholder_secret_stops_the_start_and_only_its_name_is_said(tmp_path):
    result = run_entrypoint(
        tmp_path, "actions", "rasa", {doors.ACTION_TOKEN_ENV: "CHANGE-ME-openssl-rand-hex-32"}
    )
    assert result.returncode == 2 and result.stdout == ""
    assert doors.ACTION_TOKEN_ENV in result.stderr and "rand-hex" not in result.stderr
