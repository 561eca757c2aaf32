"""The dialog as a declared graph: every question and passage named by a handler is in
the tables, and the steps do not import the engine (no import cycle)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from acotel_voice.dialog import steps

DIALOG = Path(steps.__file__).resolve().parent.parent


def _named(call: str) -> set[str]:
    """The first string argument of every call to ``call`` in the step modules."""
    names = set()
    for path in sorted((DIALOG / "steps").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == call and node.args
                    and isinstance(node.args[0], ast.Constant)):
                names.add(str(node.args[0].value))
    return names


def test_every_question_and_passage_named_is_declared() -> None:
    asked = _named("ask") | _named("Ask")
    assert asked and asked <= set(steps.STEPS)
    assert _named("Go") == set(steps.PASSAGES)


def test_safety_comes_first_at_any_step() -> None:
    names = [handler.__name__ for handler in steps.AT_ANY_STEP]
    assert names[0] == "on_safety"
    assert len(set(names)) == len(names)


def test_the_steps_and_the_turn_do_not_import_the_engine() -> None:
    code = ("import sys, acotel_voice.dialog.steps, acotel_voice.dialog._turn;"
            "print('acotel_voice.dialog._engine' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
    for path in [DIALOG / "_turn.py", *sorted((DIALOG / "steps").glob("*.py"))]:
        assert "_engine" not in path.read_text("utf-8"), path
