"""The served functions' allow-list (:data:`cpkit.access.served.SERVED_MODULES`) names
every module that marks a function ``@served``, and only those: a mark outside the list
would fail in a form's kernel only ("not a function the host serves"), a module left in
the list after its last mark went would let a kernel import it for nothing."""

import ast
from pathlib import Path

from cpkit.access.served import SERVED_MODULES, served_function

PACKAGE = Path(__file__).parents[2] / "cpkit"


def _marks(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and any(isinstance(d, ast.Name) and d.id == "served" for d in node.decorator_list)]


def _marking_modules() -> dict[str, list[str]]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        names = _marks(path)
        if names:
            module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
            found[module] = names
    return found


def test_the_allow_list_names_exactly_the_modules_that_mark_a_function():
    assert sorted(_marking_modules()) == sorted(SERVED_MODULES)


def test_every_marked_function_is_found_by_its_name():
    for module, names in _marking_modules().items():
        for name in names:
            assert served_function(f"{module}.{name}") is not None, (module, name)


def test_a_function_outside_the_list_is_not_served():
    assert served_function("cpkit.access.guard.Guard.store") is None
    assert served_function("os.system") is None
