"""The standard in plain words, and tailoring and writing an organisation's own standard."""

from __future__ import annotations

from pathlib import Path

from ..errors import StandardError
from .loading import Standard, _merge, _resolve, _validate, load, standards_dir


def describe(standard: Standard) -> str:
    """The standard in plain words (Markdown), written from the file itself so the text never drifts."""
    import html

    def esc(text) -> str:
        return html.escape(str(text)).replace("|", "\\|")

    lines = [f"## {esc(standard.name)}", "", esc(standard.description), "", "### Lifecycle stages and gates", ""]
    lines += ["| stage | purpose | gate | artefacts |", "|---|---|---|---|"]
    for name, stage in standard.stages.items():
        artefacts = ", ".join(map(str, stage.get("artefacts", [])))
        lines.append(
            f"| {esc(name)} | {esc(stage.get('purpose', ''))} | {esc(stage.get('gate', ''))} | {esc(artefacts)} |"
        )
    lines += ["", "### RAG tolerances (used by the monthly report)", ""]
    lines += ["| indicator | amber when worse than | red when worse than | what it measures |", "|---|---|---|---|"]
    for name, limits in standard.tolerances.items():
        amber, red = limits.get("amber", "-"), limits.get("red", "-")
        lines.append(f"| {esc(name)} | {esc(amber)} | {esc(red)} | {esc(limits.get('statement', ''))} |")
    lines += ["", "### Rules", ""]
    lines += ["| id | severity | rule | parameters | how to fix |", "|---|---|---|---|---|"]
    for rule in standard.rules:
        params = ", ".join(f"{k} = {v}" for k, v in rule["params"].items())
        lines.append(
            f"| {esc(rule['id'])} | {esc(rule['severity'])} | {esc(rule['statement'])} | {esc(params)} | {esc(rule['fix'])} |"
        )
    return "\n".join(lines + _demand_lines(standard.demand, esc))


def _demand_lines(demand: dict, esc) -> list[str]:
    """The demand section: how proposals are scored (criteria, weights, scales) and which gates they must pass."""
    criteria, gates = demand.get("criteria") or {}, demand.get("gates") or []
    if not criteria and not gates:
        return []
    total = sum(float(c.get("weight", 0)) for c in criteria.values()) or 1.0
    objective = "total score" if demand.get("objective", "score") == "score" else "total NPV"
    lines = ["", "### Demand: scoring proposals (used by pmo select)", ""]
    lines += [
        f"Each criterion scores 0 at the first end of its scale and its full weight at the other, in a straight line "
        f"and clipped at both ends; the score is the sum, out of 100. A mandatory proposal competes whatever its gates "
        f"say. The selection maximises the {objective}.",
        "",
        "| criterion | weight [of 100] | scale (0 marks - full marks) | what it measures |",
        "|---|---|---|---|",
    ]
    for name, c in criteria.items():
        low, high = c.get("scale", ["-", "-"])
        share = 100 * float(c.get("weight", 0)) / total
        lines.append(f"| {esc(name)} | {share:.0f} | {esc(low)} - {esc(high)} | {esc(c.get('statement', ''))} |")
    if gates:
        lines += ["", "| gate | a proposal is eligible when | rule |", "|---|---|---|"]
        for gate in gates:
            tests = [f"{gate['column']} is one of {', '.join(map(str, gate['in']))}"] if "in" in gate else []
            tests += [f"{gate['column']} is at least {gate['min']}"] if "min" in gate else []
            tests += [f"{gate['column']} is at most {gate['max']}"] if "max" in gate else []
            test = " and ".join(tests)
            lines.append(f"| {esc(gate['id'])} | {esc(test)} | {esc(gate.get('statement', ''))} |")
    return lines


PMO_TYPES = {  # how firmly the office enforces: the severity its rules carry
    "supportive": "warning",  # advises and provides templates; breaches are warnings
    "controlling": None,  # the default standard's severities: errors where compliance is required
    "directive": "error",  # manages the projects directly; every breach is an error
}


def tailor(
    name: str,
    *,
    pmo_type: str = "controlling",
    tolerances: dict | None = None,
    params: dict | None = None,
    disabled=(),
    description: str = "",
) -> dict:
    """A standard that extends the default and changes only what is given (ready to write as YAML).

    ``pmo_type`` sets the rules' severity (supportive: warnings, directive:
    errors, controlling: as in the default); ``tolerances`` maps indicators to
    ``{amber, red}``; ``params`` maps rule ids to parameter overrides;
    ``disabled`` lists rule ids to switch off.
    """
    if pmo_type not in PMO_TYPES:
        raise StandardError(f"unknown PMO type {pmo_type!r}; choose one of: {', '.join(PMO_TYPES)}")
    base = load()
    rules = []
    for rule in base.rules:
        change: dict = {}
        if PMO_TYPES[pmo_type] and rule["severity"] != PMO_TYPES[pmo_type]:
            change["severity"] = PMO_TYPES[pmo_type]
        if rule["id"] in (params or {}):
            change["params"] = dict(params[rule["id"]])
        if rule["id"] in disabled:
            change["enabled"] = False
        if change:
            rules.append({"id": rule["id"], **change})
    out: dict = {"extends": "default", "standard": name}
    if description:
        out["description"] = description
    if tolerances:
        out["tolerances"] = {k: dict(v) for k, v in tolerances.items()}
    if rules:
        out["rules"] = rules
    return out


def write(standard: dict, path) -> Path:
    """Write a standard (as made by :func:`tailor`) to a YAML file, atomically, after checking it."""
    import yaml

    from ..files import atomic_open

    path = Path(path)
    parent = standard.get("extends")
    merged = _merge(_resolve(standards_dir() / f"{parent}.yaml"), standard) if parent else standard
    problems = _validate(merged, str(path))
    if problems:  # a file the PMO cannot use is never written
        raise StandardError(f"{len(problems)} problem(s) in the standard:\n  " + "\n  ".join(problems))
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(standard, sort_keys=False, allow_unicode=True, width=100)
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path
