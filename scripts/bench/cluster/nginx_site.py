"""nginx for the cluster test, made from the deployment's own files (deploy/nginx/citybot.conf and
deploy/nginx/actions.conf), so that what is measured is what an operator installs.

Only the addresses change: the container names (`rasa`, `actions`, `page`) become this machine's
loopback ports, one ``server`` line per replica with the deployment's parameters (``max_fails``,
``fail_timeout``) kept, and the ``listen`` ports become free ones on 127.0.0.1. Upstream choice,
stickiness (``ip_hash``), retries, timeouts, body limits and rate limits are the files' own. Each
replacement must happen exactly once: a change in the deployment files that this reading no longer
fits stops the test with a message instead of testing something else.

nginx runs in the foreground with its files in one folder, as the user running the test, or as
``nobody`` when that is root: it needs no privilege on high ports. Its access log records which
replica answered each request (``$upstream_addr``), which the test uses to pick the replica to kill.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
DEPLOY_NGINX = REPO_ROOT / "deploy" / "nginx"
#: Debian's nginx (nginx-light); .ci/run installs it.
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
#: One access-log line: when, who, what, the status and which upstream(s) nginx tried.
LOG_FORMAT = '$msec $remote_addr $request_method "$uri" $status "$upstream_addr" $request_time'
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


class SiteError(RuntimeError):
    """The deployment's nginx file no longer has the shape this generator reads."""


def _replace_once(text: str, pattern: str, replacement: str, source: Path) -> str:
    """``text`` with the one match of ``pattern`` replaced (a function of the match's groups)."""
    matches = list(re.finditer(pattern, text, flags=re.MULTILINE))
    if len(matches) != 1:
        raise SiteError(f"{source}: expected exactly one line matching {pattern!r}, found {len(matches)}")
    match = matches[0]
    return text[: match.start()] + match.expand(replacement) + text[match.end() :]


def _servers(text: str, name: str, ports: Sequence[int], source: Path) -> str:
    """The ``server <name>:<port> <params>;`` line, one per local port, same parameters."""
    pattern = rf"^(\s*)server {name}:\d+(.*);$"
    match = re.search(pattern, text, flags=re.MULTILINE)
    if match is None:
        raise SiteError(f"{source}: no `server {name}:...;` line")
    indent, params = match.group(1), match.group(2)
    lines = "\n".join(f"{indent}server 127.0.0.1:{port}{params};" for port in ports)
    return _replace_once(text, pattern, lines.replace("\\", "\\\\"), source)


def _listen(text: str, port: int, source: Path) -> str:
    return _replace_once(text, r"^(\s*)listen \d+;$", rf"\g<1>listen 127.0.0.1:{port};", source)


def front_site(rasa_ports: Sequence[int], page_port: int, listen: int) -> str:
    """deploy/nginx/citybot.conf pointed at the local Rasa replicas (the page at ``page_port``)."""
    source = DEPLOY_NGINX / "citybot.conf"
    text = source.read_text(encoding="utf-8")
    text = _servers(text, "rasa", rasa_ports, source)
    text = _servers(text, "page", [page_port], source)
    return _listen(text, listen, source)


def actions_site(action_ports: Sequence[int], listen: int) -> str:
    """deploy/nginx/actions.conf pointed at the local action servers."""
    source = DEPLOY_NGINX / "actions.conf"
    text = source.read_text(encoding="utf-8")
    text = _servers(text, "actions", action_ports, source)
    return _listen(text, listen, source)


@dataclass
class Nginx:
    """A running nginx: its process, its folder and its access log."""

    process: subprocess.Popen[bytes]
    folder: Path

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def error_log_tail(self, lines: int = 20) -> str:
        path = self.folder / "error.log"
        text = path.read_text(errors="replace") if path.exists() else "(no error log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _drop_root() -> None:  # pragma: no cover - runs in the child, before exec
    """Run nginx as ``nobody`` when started by root: the test needs no privilege."""
    if os.geteuid() == 0:
        import pwd

        nobody = pwd.getpwnam("nobody")
        os.setgroups([])
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)


def write_config(folder: Path, sites: Sequence[str]) -> Path:
    """nginx's main file around the sites: foreground, every file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    includes = []
    for index, site in enumerate(sites):
        path = folder / f"site-{index}.conf"
        path.write_text(site, encoding="utf-8")
        includes.append(f"    include {path};")
    temps = "\n".join(f"    {name}_temp_path {folder / name};" for name in TEMP_DIRS)
    config = folder / "nginx.conf"
    config.write_text(
        f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"    log_format cluster '{LOG_FORMAT}';\n"
        f"    access_log {folder / 'access.log'} cluster;\n"
        f"{temps}\n" + "\n".join(includes) + "\n}\n",
        encoding="utf-8",
    )
    return config


def start(folder: Path, sites: Sequence[str]) -> Nginx:
    """Check the configuration (``nginx -t``), then start nginx in the foreground."""
    config = write_config(folder, sites)
    if os.geteuid() == 0:  # nginx will run as nobody: let it write its logs and temp files
        nobody = __import__("pwd").getpwnam("nobody")
        for path in [folder, *folder.iterdir()]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
    args = [NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config)]
    check = subprocess.run(
        [*args, "-t"], capture_output=True, text=True, timeout=30, preexec_fn=_drop_root, check=False
    )
    if check.returncode != 0:
        raise SiteError(f"nginx -t refused the generated configuration in {folder}:\n{check.stderr}")
    process = subprocess.Popen(args, preexec_fn=_drop_root, start_new_session=True)
    return Nginx(process, folder)
