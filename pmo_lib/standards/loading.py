"""Reading a standard file: YAML, ``extends`` (a parent standard), merging and validation.

:func:`load` returns a :class:`Standard` or raises :class:`~pmo_lib.errors.StandardError` listing
every problem, each as ``file: key path: what is wrong``. The default standard and the parents a
file ``extends`` by name are the files PMO Lab ships (:func:`pmo_lib.bundled.standards_dir`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import StandardError
from .checks import CHECKS, SEVERITIES
from .tolerances import Tolerances

TOP_KEYS = {"standard", "version", "description", "extends", "stages", "tolerances", "rules"}
RULE_KEYS = {"id", "check", "statement", "severity", "params", "fix", "enabled"}
TOLERANCE_KEYS = {"amber", "red", "statement"}


def standards_dir() -> Path:
    """The folder of the standards PMO Lab ships (``default.yaml`` and any a file may ``extend`` by name)."""
    from ..bundled import standards_dir as shipped

    return shipped()


def default_path() -> Path:
    """The default standard file."""
    return standards_dir() / "default.yaml"


@dataclass
class Standard:
    """A loaded, validated standard: its name, stages, tolerances and enabled rules."""

    name: str
    version: object
    description: str
    stages: dict
    tolerances: dict
    rules: list[dict]
    source: str

    def report_tolerances(self):
        """The tolerances as the monthly report's :class:`~pmo_lib.standards.tolerances.Tolerances`."""
        values = {}
        for key, limits in self.tolerances.items():
            values[key] = (float(limits.get("amber", np.inf)), float(limits.get("red", np.inf)))
        return Tolerances(**values)

    def rules_frame(self) -> pd.DataFrame:
        """One row per rule: id, severity, statement, parameters and fix (for documentation)."""
        rows = [
            {
                "id": r["id"],
                "severity": r["severity"],
                "statement": r["statement"],
                "parameters": ", ".join(f"{k} = {v}" for k, v in (r.get("params") or {}).items()),
                "fix": r["fix"],
            }
            for r in self.rules
        ]
        return pd.DataFrame(rows, columns=["id", "severity", "statement", "parameters", "fix"])


def _read_yaml(path: Path) -> dict:
    from ..files import read_yaml

    data = read_yaml(path, StandardError, "standard")
    if not isinstance(data, dict):
        raise StandardError(f"{path}: a standard file is a mapping of keys (standard, tolerances, rules, ...)")
    return data


def _resolve(path: Path, seen: tuple = ()) -> dict:
    data = _read_yaml(path)
    parent = data.get("extends")
    if parent is None:
        return data
    base_path = standards_dir() / f"{parent}.yaml" if "/" not in str(parent) and not str(parent).endswith(".yaml") else (
        path.parent / str(parent)
    )  # fmt: skip
    if not base_path.exists():
        known = ", ".join(sorted(p.stem for p in standards_dir().glob("*.yaml")))
        raise StandardError(f"{path}: extends: no standard {parent!r} (looked for {base_path}); known: {known}")
    if base_path.resolve() in seen:
        raise StandardError(f"{path}: extends: {parent} makes a loop")
    base = _resolve(base_path, (*seen, path.resolve()))
    return _merge(base, data)


def _merge(base: dict, child: dict) -> dict:
    """``child`` over ``base``: scalars replace, tolerances merge per key, rules merge by id."""
    out = copy.deepcopy(base)
    for key, value in child.items():
        if key == "extends":
            continue
        if key == "tolerances" and isinstance(value, dict) and isinstance(out.get(key), dict):
            for name, limits in value.items():
                merged = dict(out[key].get(name) or {})
                merged.update(limits or {}) if isinstance(limits, dict) else merged.update({"_bad": limits})
                out[key][name] = merged
        elif key == "stages" and isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(copy.deepcopy(value))
        elif key == "rules" and isinstance(value, list) and isinstance(out.get(key), list):
            by_id = {r.get("id"): i for i, r in enumerate(out[key]) if isinstance(r, dict)}
            for rule in value:
                if isinstance(rule, dict) and rule.get("id") in by_id:
                    target = out[key][by_id[rule["id"]]]
                    for k, v in rule.items():
                        if k == "params" and isinstance(v, dict):
                            target["params"] = {**(target.get("params") or {}), **v}
                        else:
                            target[k] = v
                else:
                    out[key].append(copy.deepcopy(rule))
        else:
            out[key] = copy.deepcopy(value)
    return out


def _validate(data: dict, label: str) -> list[str]:
    problems = []
    for key in sorted(set(data) - TOP_KEYS):
        problems.append(f"{label}: {key}: unknown key; a standard has {', '.join(sorted(TOP_KEYS))}")
    if not isinstance(data.get("standard"), str) or not data.get("standard"):
        problems.append(f"{label}: standard: give the standard a name (text)")
    known_tolerances = set(Tolerances.__dataclass_fields__)
    tolerances = data.get("tolerances") or {}
    if not isinstance(tolerances, dict):
        problems.append(f"{label}: tolerances: must be a mapping of indicator -> {{amber, red}}")
        tolerances = {}
    for name, limits in tolerances.items():
        path = f"{label}: tolerances.{name}"
        if name not in known_tolerances:
            problems.append(f"{path}: unknown indicator; known: {', '.join(sorted(known_tolerances))}")
            continue
        if not isinstance(limits, dict) or "_bad" in limits:
            problems.append(f"{path}: must be a mapping with amber and/or red limits")
            continue
        for key in sorted(set(limits) - TOLERANCE_KEYS):
            problems.append(f"{path}.{key}: unknown key; use amber, red, statement")
        for key in ("amber", "red"):
            value = limits.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                problems.append(f"{path}.{key}: must be a number (found {value!r})")
        if "amber" not in limits and "red" not in limits:
            problems.append(f"{path}: give an amber or a red limit")
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        problems.append(f"{label}: rules: must be a list of rules")
        rules = []
    seen = set()
    for i, rule in enumerate(rules):
        path = f"{label}: rules[{i}]"
        if not isinstance(rule, dict):
            problems.append(f"{path}: must be a mapping with id, check, statement, severity, fix")
            continue
        rid = rule.get("id")
        path = f"{label}: rules[{i}] ({rid})" if rid else path
        if not rid or not isinstance(rid, str):
            problems.append(f"{path}.id: every rule needs an id (text)")
        elif rid in seen:
            problems.append(f"{path}.id: the id {rid} is used twice")
        seen.add(rid)
        for key in sorted(set(rule) - RULE_KEYS):
            problems.append(f"{path}.{key}: unknown key; a rule has {', '.join(sorted(RULE_KEYS))}")
        if rule.get("check") not in CHECKS:
            problems.append(f"{path}.check: unknown check {rule.get('check')!r}; known: {', '.join(sorted(CHECKS))}")
        if rule.get("severity") not in SEVERITIES:
            problems.append(f"{path}.severity: must be one of {', '.join(SEVERITIES)} (found {rule.get('severity')!r})")
        for key in ("statement", "fix"):
            if not isinstance(rule.get(key), str) or not rule.get(key):
                problems.append(f"{path}.{key}: missing; write it in plain words")
        params = rule.get("params") or {}
        if not isinstance(params, dict):
            problems.append(f"{path}.params: must be a mapping of name -> value")
        elif rule.get("check") in CHECKS:
            expected = CHECKS[rule["check"]].defaults
            for name in sorted(set(params) - set(expected)):
                problems.append(
                    f"{path}.params.{name}: unknown parameter; {rule['check']} takes {', '.join(expected) or 'none'}"
                )
            for name, value in params.items():
                if name in expected and (isinstance(value, bool) or not isinstance(value, int | float)):
                    problems.append(f"{path}.params.{name}: must be a number (found {value!r})")
    return problems


def load(path=None) -> Standard:
    """Load and check a standard file (default: the standard PMO Lab ships, :func:`default_path`), following ``extends``.

    Raises :class:`StandardError` listing every problem, each as ``file: key path: what is wrong``.
    """
    path = Path(path) if path else default_path()
    data = _resolve(path)
    problems = _validate(data, str(path))
    if problems:
        raise StandardError(f"{len(problems)} problem(s) in the standard:\n  " + "\n  ".join(problems))
    rules = [
        {**r, "params": {**CHECKS[r["check"]].defaults, **(r.get("params") or {})}}
        for r in data.get("rules") or []
        if r.get("enabled", True)
    ]
    return Standard(
        name=data["standard"],
        version=data.get("version"),
        description=str(data.get("description") or ""),
        stages=data.get("stages") or {},
        tolerances=data.get("tolerances") or {},
        rules=rules,
        source=str(path),
    )


# --- the checks -------------------------------------------------------------------------------------
# Each takes (portfolio, as_of, **params) and returns a frame: project_id, found, evidence.
