"""Reading a standard file: YAML, ``extends`` (a parent standard), merging and validation.

:func:`load` returns a :class:`Standard` or raises :class:`~pmo_lib.errors.StandardError` listing
every problem, each as ``file: key path: what is wrong``. The default standard and the parents a
file ``extends`` by name are the files PMO Lab ships (:func:`pmo_lib.bundled.standards_dir`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import StandardError
from .checks import CHECKS, SEVERITIES
from .tolerances import Tolerances

TOP_KEYS = {"standard", "version", "description", "extends", "stages", "tolerances", "rules", "demand"}
DEMAND_KEYS = {"objective", "criteria", "gates"}
CRITERION_KEYS = {"weight", "scale", "statement"}
GATE_KEYS = {"id", "statement", "column", "in", "min", "max"}
OBJECTIVES = ("score", "npv")
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
    demand: dict = field(default_factory=dict)

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
        elif key == "demand" and isinstance(value, dict) and isinstance(out.get(key), dict):
            for part, content in value.items():  # criteria merge by name (a weight alone may change); gates replace
                if part == "criteria" and isinstance(content, dict) and isinstance(out[key].get(part), dict):
                    for name, spec in content.items():
                        old = out[key][part].get(name)
                        both = isinstance(spec, dict) and isinstance(old, dict)
                        out[key][part][name] = {**old, **spec} if both else copy.deepcopy(spec)
                else:
                    out[key][part] = copy.deepcopy(content)
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
    problems += _validate_demand(data.get("demand"), label)
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


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _validate_demand(demand, label: str) -> list[str]:
    """The demand section: an objective, criteria that are numeric proposal columns, gates on known columns."""
    from ..schemas import PROPOSAL_STAGES, TABLES

    if demand is None:
        return []
    path = f"{label}: demand"
    if not isinstance(demand, dict):
        return [f"{path}: must be a mapping with objective, criteria, gates"]
    problems = [
        f"{path}.{k}: unknown key; demand has {', '.join(sorted(DEMAND_KEYS))}"
        for k in sorted(set(demand) - DEMAND_KEYS)
    ]
    if demand.get("objective", "score") not in OBJECTIVES:
        problems.append(f"{path}.objective: must be one of {', '.join(OBJECTIVES)} (found {demand.get('objective')!r})")
    columns = TABLES["proposals"].columns
    numeric = sorted(n for n, c in columns.items() if c.metadata["kind"] in ("number", "integer"))
    criteria = demand.get("criteria") or {}
    if not isinstance(criteria, dict):
        problems.append(f"{path}.criteria: must be a mapping of proposal column -> {{weight, scale}}")
        criteria = {}
    for name, spec in criteria.items():
        where = f"{path}.criteria.{name}"
        if name not in numeric:
            problems.append(f"{where}: not a numeric column of proposals; choose from {', '.join(numeric)}")
        if not isinstance(spec, dict):
            problems.append(f"{where}: must be a mapping with weight and scale")
            continue
        problems += [
            f"{where}.{k}: unknown key; use {', '.join(sorted(CRITERION_KEYS))}"
            for k in sorted(set(spec) - CRITERION_KEYS)
        ]
        if not _number(spec.get("weight")) or spec["weight"] < 0:
            problems.append(f"{where}.weight: must be a number of 0 or more (found {spec.get('weight')!r})")
        scale = spec.get("scale")
        if not (isinstance(scale, list) and len(scale) == 2 and all(map(_number, scale)) and scale[0] != scale[1]):
            problems.append(
                f"{where}.scale: give [scores nothing, scores full marks], two different numbers (found {scale!r})"
            )
    if criteria and not sum(
        s.get("weight", 0) for s in criteria.values() if isinstance(s, dict) and _number(s.get("weight"))
    ):
        problems.append(f"{path}.criteria: the weights add up to 0; give at least one a positive weight")
    gates = demand.get("gates") or []
    if not isinstance(gates, list):
        return [*problems, f"{path}.gates: must be a list of gates"]
    for i, gate in enumerate(gates):
        where = f"{path}.gates[{i}]"
        if not isinstance(gate, dict):
            problems.append(f"{where}: must be a mapping with id, statement, column and in / min / max")
            continue
        where = f"{where} ({gate['id']})" if gate.get("id") else where
        problems += [
            f"{where}.{k}: unknown key; a gate has {', '.join(sorted(GATE_KEYS))}"
            for k in sorted(set(gate) - GATE_KEYS)
        ]
        for key in ("id", "statement"):
            if not isinstance(gate.get(key), str) or not gate.get(key):
                problems.append(f"{where}.{key}: missing; write it in plain words")
        column = gate.get("column")
        if column != "score" and column not in columns:
            problems.append(f"{where}.column: {column!r} is neither score nor a column of proposals")
        if not any(k in gate for k in ("in", "min", "max")):
            problems.append(f"{where}: say what passes with in: [...], min: or max:")
        if "in" in gate and column == "stage":
            for value in sorted(set(map(str, gate["in"] or [])) - set(PROPOSAL_STAGES)):
                problems.append(f"{where}.in: {value!r} is not a stage; stages are {', '.join(PROPOSAL_STAGES)}")
        for key in ("min", "max"):
            if key in gate and not _number(gate[key]):
                problems.append(f"{where}.{key}: must be a number (found {gate[key]!r})")
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
        demand={"objective": "score", "criteria": {}, "gates": [], **(data.get("demand") or {})},
    )


# --- the checks -------------------------------------------------------------------------------------
# Each takes (portfolio, as_of, **params) and returns a frame: project_id, found, evidence.
