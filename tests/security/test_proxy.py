"""docs/security.md's nginx configuration, run for real in front of the launcher, over verified TLS.

The configuration is read from the document itself (its one ```nginx block), with only what a test
must change: listening ports, the upstream ports of this launcher, a certificate made here for
"localhost". So the published example cannot drift from what works. Needs Debian's nginx
(`.ci/run` installs it); skipped with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import REPO_ROOT, free_port
from socketio_raw import Polling, websocket_connect

pytestmark = [pytest.mark.model, pytest.mark.server]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DOC = REPO_ROOT / "docs" / "security.md"
needs_nginx = pytest.mark.skipif(
    not Path(NGINX).is_file(), reason="Debian's nginx is missing: apt-get install nginx-light"
)


def documented_config() -> str:
    """The ```nginx block of docs/security.md."""
    blocks = re.findall(r"```nginx\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1, "docs/security.md should hold exactly one nginx configuration"
    return blocks[0]


def adapted_config(config: str, https: int, http: int, page: int, rasa: int, cert: Path, key: Path) -> str:
    """The documented configuration on this test's ports and certificate; nothing else changes."""
    replacements = {
        "listen 443 ssl;": f"listen 127.0.0.1:{https} ssl;",
        "listen 80;": f"listen 127.0.0.1:{http};",
        "http://127.0.0.1:8080": f"http://127.0.0.1:{page}",
        "http://127.0.0.1:5005": f"http://127.0.0.1:{rasa}",
        "/etc/letsencrypt/live/bot.example.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/bot.example.org/privkey.pem": str(key),
        "bot.example.org": "localhost",
    }
    for documented, here in replacements.items():
        assert documented in config, f"docs/security.md no longer says {documented!r}"
        config = config.replace(documented, here)
    return config


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for "localhost", which this test's clients then trust."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def main_config(folder: Path, site: Path) -> Path:
    """nginx's own file around the site: foreground, its files in `folder`."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = " ".join(
        f"{name}_temp_path {folder / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = (
        f"{user}daemon off;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} warn;\n"
        f"events {{}}\nhttp {{\n access_log off;\n {temp}\n include {site};\n}}\n"
    )
    path = folder / "nginx.conf"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def proxy(launched, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """nginx with the documented configuration in front of the launched servers."""
    if not Path(NGINX).is_file():
        pytest.skip("Debian's nginx is missing: apt-get install nginx-light")
    folder = tmp_path_factory.mktemp("nginx")
    cert, key = certificate(folder)
    https, http = int(launched.extra["PROXY_PORT"]), free_port()
    site = folder / "citybot.conf"
    site.write_text(
        adapted_config(
            documented_config(),
            https,
            http,
            launched.ports["WEBCHAT_PORT"],
            launched.ports["RASA_PORT"],
            cert,
            key,
        )
    )
    conf = main_config(folder, site)
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf)], start_new_session=True)
    context = ssl.create_default_context(cafile=str(cert))
    base = f"https://localhost:{https}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/", context=context, timeout=5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
                pytest.fail(f"nginx did not start:\n{log}")
            time.sleep(0.2)
    try:
        yield {"base": base, "http": f"http://localhost:{http}", "context": context, "cert": cert}
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(proxy, path: str, data: bytes | None = None, headers: dict[str, str] | None = None):
    request = urllib.request.Request(str(proxy["base"]) + path, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, context=proxy["context"], timeout=120) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@needs_nginx
def test_the_documented_configuration_is_valid_nginx(tmp_path):
    cert, key = certificate(tmp_path)
    site = tmp_path / "citybot.conf"
    site.write_text(adapted_config(documented_config(), free_port(), free_port(), 8080, 5005, cert, key))
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(main_config(tmp_path, site))],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_page_comes_over_tls_with_its_security_headers(proxy):
    status, headers, body = fetch(proxy, "/")
    assert status == 200 and b"<html" in body.lower()
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_french_question_is_answered_over_tls(proxy):
    body = json.dumps({"sender": "proxy-fr", "message": "que fait Mayo-Baléo pour l'école ?"}).encode()
    status, _, reply = fetch(proxy, "/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
    assert status == 200, reply[:300]
    text = " ".join(m.get("text", "") for m in json.loads(reply))
    assert "Mayo-Baléo" in text and "radio" in text, text


def test_the_page_socket_works_through_the_proxy_and_other_sites_do_not(proxy, monkeypatch):
    """Over wss:// (the WebSocket upgrade through nginx) and over polling, with the page's origin."""
    monkeypatch.setenv("SSL_CERT_FILE", str(proxy["cert"]))  # the clients below trust our certificate
    base = str(proxy["base"])
    assert websocket_connect(base, base).startswith("40")
    assert websocket_connect(base, "https://evil.example").startswith("44")
    session = Polling(base, origin=base).open()
    try:
        assert session.connect_reply().startswith("40")
        assert session.request_session()  # the server issues the conversation's id
    finally:
        session.close()


def test_nothing_else_of_the_rasa_server_is_published(proxy):
    status, _, body = fetch(proxy, "/")
    assert b"Hello from Rasa" not in body  # / is the page, not Rasa's banner
    for path in ("/version", "/status", "/model", "/conversations/x/tracker"):
        status, _, body = fetch(proxy, path)
        assert status == 404, (path, status, body[:200])


def test_a_2_mb_body_stops_at_nginx(proxy):
    body = json.dumps({"sender": "proxy-big", "message": "x" * 2_000_000}).encode()
    status, headers, _ = fetch(proxy, "/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
    assert status == 413 and headers.get("Server") == "nginx"


def test_plain_http_is_redirected_to_https(proxy):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(str(proxy["http"]) + "/", timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 301 and error.headers["Location"].startswith("https://localhost")
    else:
        pytest.fail("plain HTTP was served")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None
