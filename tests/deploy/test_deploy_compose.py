"""deploy/compose.yml for one machine: the services, a health check for each, secrets only from
deploy/.env (the example holds placeholders), Redis with a password, the backends off the outside
network, and nginx (deploy/nginx/) with sticky socket.io in front and before the action servers."""

from __future__ import annotations

import re

from citybot.isolation import _SECRET_NAME
from deploy.files import DEPLOY, INTERPOLATION, env_example

SERVICES = {"postgres", "redis", "actions", "actions-nginx", "rasa", "page", "nginx"}


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    assert isinstance(env, dict), "write environment as a mapping"
    return {name: str(value) for name, value in env.items()}


def test_the_services_and_a_health_check_for_each(compose):
    assert set(compose["services"]) == SERVICES
    for name, service in compose["services"].items():
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
        assert service.get("restart") == "unless-stopped", name
        # Replicas (`--scale rasa=2`) need services without a fixed container name.
        assert "container_name" not in service, name


def test_no_secret_is_written_in_the_compose_file(compose):
    """A secret-named variable is only ever `${NAME}` from deploy/.env: required (`:?`) or, for the
    optional channels, empty by default; never a literal, never a default value."""
    for name, service in compose["services"].items():
        for variable, value in environment(service).items():
            if not _SECRET_NAME.search(variable) and "@" not in value:
                continue
            refs = list(INTERPOLATION.finditer(value))
            literal = INTERPOLATION.sub("", value)
            if "@" in value:  # a URL with a password: the password part is a reference
                assert re.search(r"://[^:@/]+:\$\{[A-Z_]+:\?[^}]*\}@", value), (name, variable)
                continue
            assert literal == "" and len(refs) == 1, (name, variable, value)
            operator, default = refs[0].group(2), refs[0].group(3)
            assert operator in (":?", None) or (operator == ":-" and default == ""), (name, variable)
    text = (DEPLOY / "compose.yml").read_text(encoding="utf-8")
    assert "CHANGE-ME" not in text


def test_the_env_example_names_every_variable_and_holds_placeholders_only(compose):
    example = env_example()
    text = (DEPLOY / "compose.yml").read_text(encoding="utf-8")
    referenced = {match.group(1) for match in INTERPOLATION.finditer(text)}
    assert referenced <= set(example), referenced - set(example)
    for name, value in example.items():
        if _SECRET_NAME.search(name):
            assert value == "" or value.startswith("CHANGE-ME"), name
    required = [m.group(1) for m in INTERPOLATION.finditer(text) if m.group(2) == ":?"]
    assert required and all(example[name].startswith("CHANGE-ME") for name in required)
    assert (DEPLOY / ".gitignore").read_text(encoding="utf-8").splitlines().count(".env") == 1


def test_redis_has_a_password_and_the_backends_no_outside_network(compose):
    services = compose["services"]
    redis = services["redis"]
    assert "--requirepass" in " ".join(redis["command"])
    assert "LOCK_STORE_PASSWORD" in " ".join(redis["command"])
    assert environment(redis)["LOCK_STORE_PASSWORD"].startswith("${LOCK_STORE_PASSWORD:?")
    assert environment(services["rasa"])["LOCK_STORE_PASSWORD"] == environment(redis)["LOCK_STORE_PASSWORD"]
    assert compose["networks"]["backend"]["internal"] is True
    for name in ("postgres", "redis", "actions", "actions-nginx"):
        assert services[name]["networks"] == ["backend"], name
        assert "ports" not in services[name], f"{name} must not be published"
    published = [name for name, service in services.items() if "ports" in service]
    assert published == ["nginx"]
    (port,) = services["nginx"]["ports"]
    assert port.startswith("${PUBLISH_ADDRESS:-127.0.0.1}:"), "this machine only unless said otherwise"


def test_the_servers_start_in_order_and_mount_the_model_and_knowledge_read_only(compose):
    services = compose["services"]
    rasa = services["rasa"]
    assert {name: dep["condition"] for name, dep in rasa["depends_on"].items()} == {
        "postgres": "service_healthy",
        "redis": "service_healthy",
        "actions-nginx": "service_healthy",
    }
    assert "../models:/app/models:ro" in rasa["volumes"]
    assert "../knowledge:/app/knowledge:ro" in rasa["volumes"]
    assert services["actions"]["volumes"] == ["../knowledge:/app/knowledge:ro"]
    assert services["page"]["image"] == rasa["image"] and services["page"]["command"] == ["page"]
    assert rasa["build"]["dockerfile"] == "deploy/rasa.Dockerfile"
    assert services["actions"]["build"]["dockerfile"] == "deploy/actions.Dockerfile"
    assert rasa["build"]["context"] == services["actions"]["build"]["context"] == ".."
    assert all(services[name]["init"] is True for name in ("rasa", "actions", "page"))


def test_nginx_is_sticky_for_socketio_and_publishes_only_the_page_socket_and_webhooks(compose):
    conf = (DEPLOY / "nginx" / "citybot.conf").read_text(encoding="utf-8")
    mount = "./nginx/citybot.conf:/etc/nginx/conf.d/default.conf:ro"
    assert compose["services"]["nginx"]["volumes"] == [mount]
    rasa_upstream = re.search(r"upstream citybot_rasa \{(.*?)\}", conf, re.DOTALL).group(1)
    assert re.search(r"^\s*ip_hash;", rasa_upstream, re.MULTILINE)
    locations = dict(re.findall(r"location (?:= )?(\S+) \{(.*?)\n    \}", conf, re.DOTALL))
    assert set(locations) == {"/healthz", "/", "/socket.io/", "/webhooks/"}
    assert "proxy_pass http://citybot_page;" in locations["/"]
    for path in ("/socket.io/", "/webhooks/"):
        assert "proxy_pass http://citybot_rasa;" in locations[path]
    assert "proxy_set_header Upgrade $http_upgrade;" in locations["/socket.io/"]
