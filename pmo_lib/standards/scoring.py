"""Checking a portfolio against a standard: findings, compliance scores, their trend and what changed."""

from __future__ import annotations

import pandas as pd

from .checks import CHECKS, FINDING_COLUMNS, SEVERITIES, _live
from .loading import Standard, load


def evaluate(portfolio, standard: Standard | None = None, as_of=None) -> pd.DataFrame:
    """Every breach of the standard's rules as of a date: one row per project and thing found.

    Columns: ``rule_id``, ``severity``, ``portfolio``, ``project_id``,
    ``project`` (name), ``found``, ``evidence``, ``fix``; errors first.
    """
    from ..evm import data_date

    standard = standard or load()
    as_of = pd.Timestamp(data_date(portfolio) if as_of is None else as_of).normalize()
    parts = []
    for rule in standard.rules:
        found = CHECKS[rule["check"]](portfolio, as_of, **rule["params"])
        if len(found):
            parts.append(found.assign(rule_id=rule["id"], severity=rule["severity"], fix=rule["fix"]))
    if not parts:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    info = portfolio.projects.set_index("project_id")
    out["portfolio"] = info["portfolio"].astype(str).reindex(out["project_id"]).to_numpy()
    out["project"] = info["name"].astype(str).reindex(out["project_id"]).to_numpy()
    order = {s: i for i, s in enumerate(SEVERITIES)}
    out = out.sort_values(
        ["project_id", "severity", "rule_id"], key=lambda s: s.map(order) if s.name == "severity" else s, kind="stable"
    )
    return out[FINDING_COLUMNS].reset_index(drop=True)


def scores(portfolio, findings: pd.DataFrame, standard: Standard | None = None) -> pd.DataFrame:
    """Compliance score per live project: the share of the standard's rules it meets [%] (100 = all)."""
    standard = standard or load()
    live = _live(portfolio)
    broken = findings.groupby("project_id")["rule_id"].nunique()
    total = max(len(standard.rules), 1)
    out = live[["project_id", "name", "portfolio"]].copy()
    out["rules_broken"] = broken.reindex(out["project_id"]).fillna(0).astype(int).to_numpy()
    errors = findings[findings["severity"] == "error"].groupby("project_id").size()
    out["errors"] = errors.reindex(out["project_id"]).fillna(0).astype(int).to_numpy()
    out["score"] = 100.0 * (1 - out["rules_broken"] / total)
    return out.reset_index(drop=True)


def portfolio_scores(project_scores: pd.DataFrame) -> pd.DataFrame:
    """Mean compliance score per portfolio [%]."""
    return project_scores.groupby("portfolio", observed=True)["score"].mean().rename("score").reset_index()


def trend(portfolio, standard: Standard | None = None, months: int = 6, as_of=None) -> pd.DataFrame:
    """Compliance score per portfolio at the end of each of the last ``months`` months up to ``as_of``."""
    from ..evm import data_date

    standard = standard or load()
    end = pd.Timestamp(data_date(portfolio) if as_of is None else as_of)
    rows = []
    for k in range(int(months) - 1, -1, -1):  # a handful of months: each is a whole evaluation
        day = min(end, (end.to_period("M") - k).to_timestamp(how="end").normalize())
        found = evaluate(portfolio, standard, day)
        per = portfolio_scores(scores(portfolio, found, standard)).assign(month=str(day.to_period("M")))
        rows.append(per)
    return pd.concat(rows, ignore_index=True)[["month", "portfolio", "score"]]


def changes_since(portfolio, standard: Standard | None, as_of, before, now: pd.DataFrame | None = None) -> pd.DataFrame:
    """Findings new since ``before`` and resolved since then: ``change`` is ``"new"`` or ``"resolved"``.

    ``now`` may be the findings as of ``as_of`` when they are at hand already.
    """
    now = evaluate(portfolio, standard, as_of) if now is None else now
    then = evaluate(portfolio, standard, before)

    def keyed(frame):
        # the same breach keeps its key from month to month: the item it names (a risk, an issue, a month,
        # a person and week) before the first colon of the evidence, not the counts that change daily
        item = frame["evidence"].astype(str).str.extract(r"^([^:]+):", expand=False).fillna("")
        return frame.assign(item=item.to_numpy())

    now, then = keyed(now), keyed(then)
    key = ["rule_id", "project_id", "found", "item"]
    new = now.merge(then[key].drop_duplicates(), on=key, how="left", indicator=True)
    new = new[new["_merge"] == "left_only"].assign(change="new")
    resolved = then.merge(now[key].drop_duplicates(), on=key, how="left", indicator=True)
    resolved = resolved[resolved["_merge"] == "left_only"].assign(change="resolved")
    out = pd.concat([new, resolved], ignore_index=True)
    return out[["change", *FINDING_COLUMNS]].reset_index(drop=True)


# --- documentation and tailoring ------------------------------------------------------------------------
