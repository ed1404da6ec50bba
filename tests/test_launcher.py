"""`make run`'s launcher, for real: three servers on the ports the environment names, a French
answer through REST, and every child gone after Ctrl-C (SIGINT) or a service manager's SIGTERM.

Slow (a Rasa server start, about 20-40 s); uses models/citybot.tar.gz like `make run`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from servers import REPO_ROOT, free_port, http_get, http_post_json

pytestmark = [pytest.mark.model, pytest.mark.server]

MODEL = REPO_ROOT / "models" / "citybot.tar.gz"
READY_TIMEOUT_S = float(os.environ.get("CITYBOT_TEST_START_TIMEOUT", "300"))


def _start(tmp_path: Path) -> tuple[subprocess.Popen, dict[str, int], Path]:
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEBCHAT_PORT": free_port()}
    env = dict(
        os.environ,
        **{name: str(port) for name, port in ports.items()},
        TRACKER_STORE_URL=f"sqlite:///{tmp_path / 'conversations.db'}",
    )
    log = tmp_path / "launcher.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "citybot.launcher"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + READY_TIMEOUT_S
    while "Press Ctrl-C to stop." not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the launcher did not get ready:\n" + log.read_text(errors="replace")[-3000:])
        time.sleep(0.5)
    return process, ports, log


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (the launcher's servers)."""
    result = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(line) for line in result.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) counts as gone.
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout
    return bool(state.strip()) and not state.strip().startswith("Z")


@pytest.mark.skipif(not MODEL.exists(), reason="no models/citybot.tar.gz: run `make train` first")
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_launcher_serves_on_the_configured_ports_and_stops_everything(
    tmp_path: Path, stop_signal: int
) -> None:
    process, ports, log = _start(tmp_path)
    children = _children(process.pid)
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
        process.send_signal(stop_signal)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            for child in children:
                os.killpg(child, signal.SIGKILL)
            pytest.fail("the launcher did not stop within 60 s")
    assert process.returncode == 0
    assert "stopping" in log.read_text()
    left = [pid for pid in children if _alive(pid)]
    assert not left, f"servers still running after the launcher stopped: {left}"
