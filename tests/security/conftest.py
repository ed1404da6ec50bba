"""The `launched` fixture: one launcher (`security.launch`) shared by a session's security tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import Recorder, find_model, free_port

from security.launch import Launched, launcher_env, start_launcher, stop_launcher


@pytest.fixture(scope="session")
def launched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launched]:
    """One launcher for the session's security tests (a Rasa start costs 20-60 s)."""
    if find_model() is None:
        pytest.skip("no trained model in models/: run `make train`")
    tmp = tmp_path_factory.mktemp("launched")
    recorder = Recorder()
    # A TLS proxy in front (test_proxy.py) serves the page at https://localhost:<proxy port>; the
    # page's origins are then that one and the two loopback ones, as docs/security.md says to set.
    proxy_port = free_port()
    env, ports = launcher_env(tmp, recorder)
    page = ports["WEBCHAT_PORT"]
    env["CITYBOT_ALLOWED_ORIGINS"] = (
        f"http://localhost:{page} http://127.0.0.1:{page} https://localhost:{proxy_port}"
    )
    process, log = start_launcher(tmp, env)
    try:
        extra = {"PROXY_PORT": str(proxy_port)}
        yield Launched(process, ports, env, log, Path(env["CITYBOT_VAR"]), recorder, extra)
    finally:
        stop_launcher(process)
        recorder.stop()
