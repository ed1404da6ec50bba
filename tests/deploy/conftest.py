"""Fixtures of the deployment checks: parsed once per session (tests/deploy/files.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from deploy import files


@pytest.fixture(scope="session")
def deploy_python() -> Path:
    return files.deploy_python()


@pytest.fixture(scope="session")
def k8s() -> dict[tuple[str, str], dict[str, Any]]:
    return files.k8s_objects()


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    return files.compose()
