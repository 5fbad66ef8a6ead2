"""A package imports another package's public names only, never its private modules."""

from __future__ import annotations

import ast
import pathlib

import clientcore

ROOT = pathlib.Path(clientcore.__file__).parent


def _package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else parts[0]


def _crossings() -> list[str]:
    found = []
    for file in sorted(ROOT.rglob("*.py")):
        relative = file.relative_to(ROOT.parent).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__")
        own = module if file.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            for target in targets:
                parts = target.split(".")
                if parts[0] != "clientcore" or len(parts) < 3:
                    continue
                private = [i for i, part in enumerate(parts) if part.startswith("_")]
                if not private:
                    continue
                owner = ".".join(parts[: private[0]])
                if owner == "clientcore" or own == owner or own.startswith(owner + "."):
                    continue
                found.append(f"{module} imports {target}")
    return found


def test_no_package_imports_another_packages_private_module() -> None:
    assert [] == _crossings()
