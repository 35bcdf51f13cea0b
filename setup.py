"""Build step that puts the files PMO Lab runs on inside the package (see pmo_lib/bundled.py).

The sample dataset, the default standard, the notebooks the CLI runs and the learner notebooks live
at the top of the repository, where analysts and tests use them. A wheel copies them into
``pmo_lib/_bundle/`` with the same layout, so an installed PMO Lab finds them through
``importlib.resources`` from any folder. An editable install (``make setup``) copies nothing: it
uses the repository's own folders.
"""

import ast
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _contents() -> dict:
    """``CONTENTS`` from pmo_lib/bundled.py, read without importing the package (its dependencies may be missing)."""
    tree = ast.parse((HERE / "pmo_lib" / "bundled.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(getattr(t, "id", "") == "CONTENTS" for t in targets):
                return ast.literal_eval(node.value)
    raise RuntimeError("pmo_lib/bundled.py has no CONTENTS")


class BuildWithBundle(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        bundle = Path(self.build_lib) / "pmo_lib" / "_bundle"
        shutil.rmtree(bundle, ignore_errors=True)
        for folder, patterns in _contents().items():
            source = HERE / folder
            for pattern in patterns:
                for path in sorted(source.glob(pattern)):
                    target = bundle / folder / path.relative_to(source)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)


setup(cmdclass={"build_py": BuildWithBundle})
