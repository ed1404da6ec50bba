"""The `launched` fixture: one launcher (`security.launch`) shared by a session's security tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import Recorder, find_model

from security.launch import Launched, launcher_env, start_launcher, stop_launcher


@pytest.fixture(scope="session")
def launched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launched]:
    """One launcher for the session's security tests (a Rasa start costs 20-60 s)."""
    if find_model() is None:
        pytest.skip("no trained model in models/: run `make train`")
    tmp = tmp_path_factory.mktemp("launched")
    recorder = Recorder()
    env, ports = launcher_env(tmp, recorder)
    process, log = start_launcher(tmp, env)
    try:
        yield Launched(process, ports, env, log, Path(env["CITYBOT_VAR"]), recorder)
    finally:
        stop_launcher(process)
        recorder.stop()
