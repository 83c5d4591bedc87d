"""The rooms of the code depend one way only (issue "Pages only read"; docs/architecture.md).

    program (pure rules)  <-  accounts (people and access)  <-  training  <-  outcomes, reminders
        <-  rooms that gather from several (today, personal_data, content, guide)  <-  the assembly
        (api, urls, settings, cli)

A module may import its own room and any room on a lower layer, never one on its own layer or
above: every import is read with `ast`, including imports inside functions, where a cycle would
otherwise hide. A new room must be given a layer here before it can import anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import knipa

PACKAGE = Path(knipa.__file__).resolve().parent

LAYERS: dict[str, int] = {
    # The clinical core and small helpers that import no other room.
    "__init__": 0,
    "program": 0,
    "envconfig": 0,
    "middleware": 1,
    "context_processors": 1,
    "storage": 1,
    # Sessions with their user (Django's database sessions plus a column).
    "sessions": 1,
    # People, profiles, onboarding and the ownership checks every room uses.
    "accounts": 2,
    # Clinician accounts, their clinics and their sign-in with a second factor (issue 16).
    "clinicians": 3,
    # The plan and the rounds; outcomes and reminders read them.
    "training": 3,
    "outcomes": 4,
    "reminders": 4,
    # Pages that gather from several rooms.
    "today": 5,
    "personal_data": 5,
    # Sharing with a clinician: the person's side, the consents and the access log (issue 16).
    "sharing": 5,
    "content": 5,
    # The guide's pages; the rooms below link to them from templates only (guide/links.py).
    "guide": 5,
    # The clinician's pages: they read what the person shares through sharing, outcomes, training.
    "clinic": 6,
    # The assembly: the API object, URLs, settings and the command line.
    "api": 7,
    "settings": 7,
    "urls": 8,
    "wsgi": 8,
    "asgi": 8,
    "settings_for_tests": 8,
    "cli": 9,
    "__main__": 10,
}


def room_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def knipa_imports(path: Path) -> list[tuple[int, str]]:
    """(line, room) for every import of another knipa room in the module, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "knipa" else [f"knipa.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "knipa" and len(parts) > 1:
                found.append((node.lineno, parts[1]))
    return found


def modules() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py")) if "migrations" not in path.parts]


def test_every_room_has_a_layer():
    unknown = sorted({room_of(path) for path in modules()} - LAYERS.keys())
    assert not unknown, f"give these rooms a layer in tests/test_layers.py: {unknown}"


def test_no_import_runs_back_up_a_layer():
    wrong = []
    for path in modules():
        room = room_of(path)
        for line, target in knipa_imports(path):
            if target == room or target not in LAYERS or room not in LAYERS:
                continue
            if LAYERS[target] >= LAYERS[room]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({room}, layer {LAYERS[room]}) imports "
                             f"{target} (layer {LAYERS[target]})")
    assert not wrong, "imports that run up or across a layer:\n" + "\n".join(wrong)


def test_the_layer_check_sees_imports_inside_functions(tmp_path):
    # The check reads every import, not only those at the top of a module.
    module = tmp_path / "sample.py"
    module.write_text("def later():\n    from knipa.training import plans\n    return plans\n")
    assert knipa_imports(module) == [(2, "training")]
