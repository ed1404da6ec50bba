"""Print deploy/*.Dockerfile as JSON, parsed by dockerfile-parse (tests/deploy/files.py runs this
in the deployment tools' virtualenv, .venv-deploy: the parser is not one of the bot's dependencies).

Usage: .venv-deploy/bin/python tests/deploy/dockerfile_json.py FILE...
Prints {file: {"parent_images": [...], "baseimage": ..., "envs": {...}, "stages": [[{instruction,
value}, ...], ...]}}: one list of instructions per build stage, comments left out.
"""

from __future__ import annotations

import json
import sys

from dockerfile_parse import DockerfileParser


def parse(path: str) -> dict[str, object]:
    parser = DockerfileParser(path=path)
    stages: list[list[dict[str, str]]] = []
    for item in parser.structure:
        if item["instruction"] == "COMMENT":
            continue
        if item["instruction"] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append({"instruction": item["instruction"], "value": item["value"]})
    return {
        "parent_images": parser.parent_images,
        "baseimage": parser.baseimage,
        "envs": dict(parser.envs),
        "stages": stages,
    }


if __name__ == "__main__":
    print(json.dumps({path: parse(path) for path in sys.argv[1:]}))
