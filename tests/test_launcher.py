"""`make run`'s launcher, for real: three servers on the ports the environment names, a French
answer through REST, and every child gone after a service manager's SIGTERM to `make run`'s
process group, which reaches the launcher twice (from the sender and from GNU make, which
forwards it): one graceful stop, not a forced one.

Slow (a Rasa server start, about 20-40 s); uses models/citybot.tar.gz like `make run`. The other
stops (Ctrl-C, SIGHUP, a second signal, a killed launcher, a taken port) are in
tests/security/test_lifecycle.py, most of them during the start, which costs less.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from security.launch import start_launcher
from security.processes import gone, port_free
from servers import REPO_ROOT, free_port, http_get, http_post_json

pytestmark = [pytest.mark.model, pytest.mark.server]

MODEL = REPO_ROOT / "models" / "citybot.tar.gz"


def _start(tmp_path: Path) -> tuple[subprocess.Popen[bytes], dict[str, int], Path]:
    """The launcher as `make run` starts it, on free ports, its run-time folder in `tmp_path`."""
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEBCHAT_PORT": free_port()}
    env = dict(
        os.environ,
        **{name: str(port) for name, port in ports.items()},
        CITYBOT_VAR=str(tmp_path / "var"),
        TRACKER_STORE_URL=f"sqlite:///{tmp_path / 'conversations.db'}",
    )
    process, log = start_launcher(tmp_path, env)
    return process, ports, log


@pytest.mark.skipif(not MODEL.exists(), reason="no models/citybot.tar.gz: run `make train` first")
def test_launcher_serves_on_the_configured_ports_and_a_service_manager_stops_everything(
    tmp_path: Path,
) -> None:
    process, ports, log = _start(tmp_path)
    children = psutil.Process(process.pid).children()
    try:
        printed = log.read_text()
        assert f"http://localhost:{ports['WEBCHAT_PORT']}/" in printed
        assert f"localhost:{ports['RASA_PORT']}/webhooks/rest/webhook" in printed
        assert len(children) == 3, printed[-2000:]
        page = http_get(f"http://127.0.0.1:{ports['WEBCHAT_PORT']}/")
        assert page is not None and b"<html" in page.lower()
        assert http_get(f"http://127.0.0.1:{ports['ACTIONS_PORT']}/health") is not None
        status, body = http_post_json(
            f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/rest/webhook",
            {"sender": "launcher-test", "message": "que fait Mayo-Baléo pour l'école ?"},
        )
        assert status == 200
        text = " ".join(m.get("text", "") for m in json.loads(body))
        assert "Mayo-Baléo" in text and "émissions de radio" in text, text  # the answer, in French
    finally:
        sent = time.monotonic()
        os.killpg(process.pid, signal.SIGTERM)
        os.killpg(process.pid, signal.SIGTERM)  # GNU make's echo of a SIGTERM to its group
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            for child in children:
                child.kill()
            pytest.fail("the launcher did not stop within 60 s")
    while not all(gone(child) for child in children) and time.monotonic() - sent < 10:
        time.sleep(0.01)
    print(f"\n[lifecycle] SIGTERM (twice) to a ready launcher: done after {time.monotonic() - sent:.2f} s")
    printed = log.read_text()
    assert process.returncode == 0, printed[-3000:]
    assert "stopping (SIGTERM)" in printed and "stopped: every server has exited." in printed
    assert "killing" not in printed  # the echo did not turn the graceful stop into a forced one
    assert "Traceback" not in printed, printed[-5000:]
    left = [child.pid for child in children if not gone(child)]
    assert not left, f"servers still running after the launcher stopped: {left}"
    assert all(port_free(port) for port in ports.values()), "a port is still taken"
