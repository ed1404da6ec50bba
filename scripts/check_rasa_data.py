"""`rasa data validate --fail-on-warnings`, minus the one warning that is wrong for this project.

Rasa's validator warns about every response no rule or story names, but most of our responses are
sent by the custom actions (`utter_message(response=...)`), which it cannot see; and it keeps exit
code 0 for those warnings anyway. So this runs the validator, fails on its exit code and on any
other warning, and turns "not used" into an error only for a response no Python code names either.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNUSED = re.compile(r"UserWarning: The utterance '([^']+)' is not used in any story or rule")
WARNING = re.compile(r"UserWarning: (.*)")
CODE_DIRS = ("actions", "citybot")


def names_in_code() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for d in CODE_DIRS for p in (ROOT / d).rglob("*.py"))


def main() -> int:
    command = [
        str(Path(sys.executable).parent / "rasa"),
        "data",
        "validate",
        "--config",
        "bot/config.yml",
        "--domain",
        "bot/domain.yml",
        "--data",
        "data",
        "--fail-on-warnings",
    ]
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false")
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    output = run.stdout + run.stderr
    code = names_in_code()
    # f"utter_other_reading_{intent}": such a prefix and the rest of the name, each in the code
    composed = re.findall(r'f"utter_([a-z_]+)\{', code)
    problems = []
    for line in output.splitlines():
        unused, warning = UNUSED.search(line), WARNING.search(line)
        if unused:
            # Some names are composed (f"utter_director_{part}"): their stem is what the code holds.
            stem = unused.group(1)[len("utter_") :]
            prefixed = any(stem.startswith(p) and stem[len(p) :] in code for p in composed)
            if stem not in code and not prefixed:
                problems.append(f"response '{unused.group(1)}' is used by no rule, story or action")
        elif warning:
            problems.append(warning.group(1))
    if run.returncode != 0:
        print(output[-4000:], file=sys.stderr)
        problems.append(f"rasa data validate exited with {run.returncode}")
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if not problems:
        print("rasa data validate: OK (responses sent by custom actions are not listed as unused)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
