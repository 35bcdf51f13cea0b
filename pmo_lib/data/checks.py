"""Checks on typed tables: schema rules (pandera), keys, date order, links between tables, loops.

Every check is vectorised over whole columns; only the rows that fail are
turned into findings. Keys and links are compared as integer codes (one code
per distinct value, from pyarrow's dictionary encoding), not as strings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_
import pyarrow.compute as pc

from ..graph import topological_levels
from ..schemas import COST_YEARS, TABLES, TableSpec
from .codes import Encoder, shared_codes
from .findings import Collector, Source, file_rows


@functools.cache
def _value_schema(table: str) -> pa.DataFrameSchema:
    """The table's schema without dtype checks: the parsers set every dtype, so only values are checked."""
    schema = TABLES[table].schema
    return schema.update_columns({name: {"dtype": None} for name in schema.columns})


def check_schema(frame: pd.DataFrame, spec: TableSpec, src: Source, skip: set, unparsed: dict, out: Collector) -> None:
    """Run the pandera schema (ranges, allowed values, blanks) and turn failures into findings."""
    try:
        _value_schema(spec.name).validate(frame, lazy=True)
        return
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    cases = cases[cases["index"].notna() & ~cases["column"].isin(skip)]
    for (column, check), group in cases.groupby(["column", "check"], sort=False):
        if check == "not_nullable" and column in unparsed:
            group = group[~group["index"].isin(unparsed[column])]
        col = spec.columns[column]
        problem, fix = _describe_check(str(check), col)
        out.add_rows(
            "error", src, column, file_rows(group["index"].astype("int64")), group["failure_case"], problem, fix
        )


def _describe_check(check: str, col: pa.Column) -> tuple[str, str]:
    unit = col.metadata.get("unit", "")
    unit = f" [{unit}]" if unit else ""
    if check == "not_nullable":
        return "is blank but required", f"fill it in: {col.description}"
    for c in col.checks:
        stats = c.statistics or {}
        if c.name == "isin" and check.startswith("isin"):
            values = ", ".join(map(str, stats["allowed_values"]))
            return "is not one of the allowed values", f"use one of: {values} (spelled exactly as shown)"
        if c.name == "in_range" and check.startswith("in_range"):
            lo, hi = stats["min_value"], stats["max_value"]
            return f"is outside the allowed range {lo} to {hi}{unit}", f"enter a value between {lo} and {hi}"
        if c.name == "greater_than_or_equal_to" and check.startswith("greater_than_or_equal_to"):
            lo = stats["min_value"]
            if lo == 0:
                return f"is negative{unit}", "enter zero or a positive number"
            return f"is below the minimum {lo}{unit}", f"enter {lo} or more"
    return f"failed the check {check}", "correct the value"


def _lookup(
    enc: Encoder, name: str, sub: pd.DataFrame, columns, ref_name: str, ref: pd.DataFrame, ref_columns, rows
) -> np.ndarray:
    """For the rows ``rows`` of table ``name``, whether their key exists in table ``ref_name``."""
    sub_codes = []
    ref_codes = []
    for col, ref_col in zip(columns, ref_columns, strict=True):
        codes, values = enc.codes(name, sub, col)
        r_codes, r_values = enc.codes(ref_name, ref, ref_col)
        # position of each distinct ref value among the sub column's values (-1: not there)
        position = pc.index_in(r_values, value_set=values).fill_null(-1).to_numpy(zero_copy_only=False)
        position = np.append(position.astype(np.int64), -1)  # a blank ref cell (-1) maps to -1
        sub_codes.append(codes if rows.size == codes.size else codes[rows])
        ref_codes.append(position[r_codes])
    if len(columns) == 1:
        known = np.zeros(len(enc.codes(name, sub, columns[0])[1]) + 1, dtype=bool)
        known[ref_codes[0][ref_codes[0] >= 0]] = True
        return known[sub_codes[0]]
    usable = np.all([c >= 0 for c in ref_codes], axis=0)
    sub_key = np.zeros(rows.size, dtype=np.int64)
    ref_key = np.zeros(int(usable.sum()), dtype=np.int64)
    space = 1
    for col, s, r in zip(columns, sub_codes, ref_codes, strict=True):
        size = len(enc.codes(name, sub, col)[1]) + 1
        sub_key = sub_key * size + (s + 1)
        ref_key = ref_key * size + (r[usable] + 1)
        space *= size
    if space <= 50_000_000:  # a table of every possible key: one array lookup per row
        known = np.zeros(space, dtype=bool)
        known[ref_key] = True
        return known[sub_key]
    return pd.Series(sub_key).isin(pd.unique(ref_key)).to_numpy()


def _sorted_and_unique(frame: pd.DataFrame, key: list[str], table: str = "", enc: Encoder | None = None) -> bool:
    """True when rows strictly increase by ``key`` (compared column by column), so no key repeats.

    Exports from databases and planning tools usually come sorted by their key;
    then one linear pass proves uniqueness. False means "not sure": the caller
    falls back to hashing. Blank cells sort first.
    """
    if len(frame) < 2:
        return True
    less = equal = None
    for column in key:
        compared = _compare_neighbours(frame[column], enc.cached(table, column) if enc else None)
        if compared is None:
            return False
        lt, eq = compared
        less = lt if less is None else less | (equal & lt)
        equal = eq if equal is None else equal & eq
    return bool(less.all())


def _compare_neighbours(series: pd.Series, codes) -> tuple[np.ndarray, np.ndarray] | None:
    """For each row and the next: (row < next, row == next) in the column's own order; None if unknown."""
    order = None
    if codes is not None:
        values = codes[1]
        if len(values) < 2 or pc.all(pc.less(values.slice(0, len(values) - 1), values.slice(1))).as_py():
            order = codes[0]  # the distinct values are in text order: compare their codes
    if order is None and pd.api.types.is_datetime64_any_dtype(series):
        order = series.to_numpy(dtype="datetime64[ns]").view("int64").copy()
        order[series.isna().to_numpy()] = np.iinfo(np.int64).min
    if order is not None:
        return order[:-1] < order[1:], order[:-1] == order[1:]
    if getattr(series.dtype, "storage", None) == "pyarrow":
        arr = pc.fill_null(pa_.array(series), "")
        a, b = arr.slice(0, len(arr) - 1), arr.slice(1)
        return _as_bool(pc.less(a, b)), _as_bool(pc.equal(a, b))
    return None


def _as_bool(arr) -> np.ndarray:
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=bool)


def _joined(frame: pd.DataFrame) -> pd.Series:
    """The cells of each row as one text, 'P001 / T2' (a blank cell shows as nothing)."""
    return frame.astype("str").fillna("").agg(" / ".join, axis=1)


def check_keys(frame: pd.DataFrame, spec: TableSpec, src: Source, skip: set, out: Collector, enc: Encoder) -> None:
    key = list(spec.key)
    if skip & set(key) or frame.empty:
        return
    if _sorted_and_unique(frame, key, spec.name, enc):
        return  # the common case of an export sorted by its key: one linear pass
    codes = enc.rows(spec.name, frame, key)
    dup = pd.Series(pd.Series(codes).duplicated(keep="first").to_numpy(), index=frame.index)
    if not dup.any():
        return
    first_row = (
        pd.Series(frame.index, index=frame.index)
        .groupby([frame[k] for k in key], dropna=False, sort=False)
        .transform("first")
    )
    rows = file_rows(frame.index[dup])
    firsts = file_rows(first_row[dup].to_numpy())
    values = _joined(frame.loc[dup, key])
    label = " + ".join(key)
    for (row, first), value in zip(zip(rows, firsts, strict=True), values, strict=True):
        out.add(
            "error",
            src,
            f"duplicate {label}: the same key is already on row {first}",
            "remove the duplicate row or give it its own key",
            row=int(row),
            column=key[-1],
            value=value,
        )


def check_date_order(frame: pd.DataFrame, spec: TableSpec, src: Source, out: Collector) -> None:
    for start, finish in spec.date_order:
        bad = frame[start].notna() & frame[finish].notna() & (frame[finish] < frame[start])
        if bad.any():
            starts = frame.loc[bad, start].dt.strftime("%Y-%m-%d")
            out.add_rows(
                "error",
                src,
                finish,
                file_rows(frame.index[bad]),
                frame.loc[bad, finish].dt.strftime("%Y-%m-%d") + " (before " + start + " " + starts + ")",
                f"{finish} is before {start}",
                f"check both dates; {finish} must be on or after {start}",
            )


@dataclass(frozen=True)
class RowRule:
    """A rule relating columns of one table; ``test`` returns the offending rows and the values to show."""

    table: str
    severity: str
    column: str
    problem: str
    fix: str
    test: Callable[[pd.DataFrame, Encoder], tuple[np.ndarray, object]]


def _estimate_order(frame, enc):
    o, m, p = frame["optimistic_days"], frame["most_likely_days"], frame["pessimistic_days"]
    bad = (o.notna() & m.notna() & p.notna() & ((o > m) | (m > p))).to_numpy()
    return bad, o[bad].astype(str) + " / " + m[bad].astype(str) + " / " + p[bad].astype(str)


def _finish_without_start(frame, enc):
    bad = (frame["actual_finish"].notna() & frame["actual_start"].isna()).to_numpy()
    return bad, [""] * int(bad.sum())


def _milestone_with_duration(frame, enc):
    bad = (frame["is_milestone"].fillna(False).astype(bool) & (frame["duration_days"] > 0)).to_numpy()
    return bad, frame.loc[bad, "duration_days"]


def _self_dependency(frame, enc):
    pred, succ, _ = shared_codes(enc, "dependencies", frame, "predecessor_id", "successor_id")
    bad = (pred == succ) & (pred >= 0)
    return bad, frame.loc[bad, "successor_id"]


def _nobody_and_no_role(frame, enc):
    bad = (frame["resource_id"].isna() & frame["role"].isna()).to_numpy()
    return bad, [""] * int(bad.sum())


def _week_not_monday(frame, enc):
    days = frame["week_start"].to_numpy(dtype="datetime64[D]").astype(np.int64)  # 1970-01-01 was a Thursday
    bad = frame["week_start"].notna().to_numpy() & ((days + 3) % 7 != 0)
    return bad, frame.loc[bad, "week_start"]


def _cost_after_end(frame, enc):
    duration = frame["duration_quarters"].astype("Float64").fillna(np.inf).to_numpy(float)
    bad = np.zeros(len(frame), dtype=bool)
    shown = np.full(len(frame), "", dtype=object)
    for year in range(1, COST_YEARS + 1):  # three cost columns
        late = (frame[f"cost_year_{year}"].fillna(0).to_numpy(float) > 0) & (duration <= 4 * (year - 1))
        shown[late & ~bad] = f"cost_year_{year} with duration_quarters "
        bad |= late
    return bad, shown[bad] + frame.loc[bad, "duration_quarters"].astype(str).to_numpy(dtype=object)


def _mandatory_rejected(frame, enc):
    bad = (frame["mandatory"].fillna(False).astype(bool) & (frame["stage"].astype(str) == "rejected")).to_numpy()
    return bad, frame.loc[bad, "stage"].astype(str)


def _self_link(frame, enc):
    bad = (frame["proposal_id"] == frame["other_id"]).fillna(False).to_numpy(dtype=bool)
    return bad, frame.loc[bad, "other_id"]


ROW_RULES = (
    RowRule("tasks", "error", "most_likely_days", "three-point estimate is out of order (optimistic / most likely / pessimistic)", "make optimistic <= most likely <= pessimistic", _estimate_order),
    RowRule("tasks", "error", "actual_start", "the task has an actual finish but no actual start", "enter the date the task actually started", _finish_without_start),
    RowRule("tasks", "warning", "duration_days", "a milestone should have zero duration", "set duration_days to 0 or is_milestone to false", _milestone_with_duration),
    RowRule("dependencies", "error", "successor_id", "a task cannot depend on itself", "correct the predecessor or successor", _self_dependency),
    RowRule("assignments", "error", "role", "the assignment names neither a person (resource_id) nor a role", "fill in resource_id for a named person or role for an unnamed demand", _nobody_and_no_role),
    RowRule("proposals", "error", "duration_quarters", "the proposal has cost in a year after its work ends", "lengthen duration_quarters or move the cost into the years of the work", _cost_after_end),
    RowRule("proposals", "error", "stage", "a mandatory proposal cannot be rejected", "set mandatory to false, or move the proposal back to business_case or approved", _mandatory_rejected),
    RowRule("proposal_links", "error", "other_id", "a proposal cannot require or exclude itself", "correct proposal_id or other_id", _self_link),
    RowRule("timesheets", "warning", "week_start", "week_start is not a Monday", "use the Monday of the week the hours were worked", _week_not_monday),
)  # fmt: skip


def check_table_rules(name: str, frame: pd.DataFrame, src: Source, out: Collector, enc: Encoder) -> None:
    """Apply the :data:`ROW_RULES` of table ``name``."""
    if frame.empty:
        return
    for rule in ROW_RULES:
        if rule.table == name:
            bad, values = rule.test(frame, enc)
            out.add_rows(rule.severity, src, rule.column, file_rows(frame.index[bad]), values, rule.problem, rule.fix)


def check_links(name: str, tables, sources, broken: dict[str, set], out: Collector, enc: Encoder) -> None:
    """Every code that refers to another table (task → project, timesheet → person, ...) must exist there."""
    frame = tables[name]
    spec = TABLES[name]
    failed: dict[tuple, np.ndarray] = {}  # rows already reported for a shorter key (e.g. unknown project)
    for fk in spec.foreign_keys:
        if broken.get(name, set()) & set(fk.columns) or frame.empty:
            continue
        if broken.get(fk.table, set()) & set(fk.ref_columns):
            continue  # the referenced table is unreadable or lacks its key: reported already
        check = frame[fk.columns[-1]].notna()
        if not check.any():
            continue
        ref = tables.get(fk.table)
        if ref is None:
            if not TABLES[fk.table].required_table:  # a missing projects table is reported once
                out.add(
                    fk.severity,
                    sources[name],
                    f"{int(check.sum())} row(s) refer to {fk.table} ({', '.join(fk.ref_columns)}) "
                    f"but there is no {fk.table} table",
                    f"add {fk.table}.csv (or a '{fk.table}' sheet), or leave {fk.columns[-1]} blank",
                    column=fk.columns[-1],
                )
            continue
        rows = check.to_numpy().copy()
        if fk.columns[:-1] in failed:
            rows &= ~failed[fk.columns[:-1]]
        rows = np.flatnonzero(rows)
        found = _lookup(enc, name, frame, fk.columns, fk.table, ref, fk.ref_columns, rows)
        if found.all():
            continue
        missing = np.zeros(len(frame), dtype=bool)
        missing[rows[~found]] = True
        dropped = sources[fk.table].dropped_keys if fk.table in sources else set()
        if dropped and tuple(fk.ref_columns) == TABLES[fk.table].key:
            # a row of the other table that could not be read was reported there; its references are not
            # reported again as unknown codes (only the few failing rows are looked at)
            where = np.flatnonzero(missing)
            keys = list(zip(*(frame[c].astype(str).to_numpy()[where] for c in fk.columns), strict=True))
            missing[where[[key in dropped for key in keys]]] = False
            if not missing.any():
                continue
        failed[fk.columns] = missing
        bad = frame[missing]
        ref_label = sources[fk.table].label if fk.table in sources else f"{fk.table} (absent)"
        what = " + ".join(fk.columns)
        if len(fk.columns) == 1:
            values = bad[fk.columns[0]]
            problem = f"refers to a {fk.ref_columns[0]} that is not in {ref_label}"
        else:
            values = _joined(bad[list(fk.columns)])
            problem = f"refers to {what} that is not in {ref_label}"
        out.add_rows(
            fk.severity,
            sources[name],
            fk.columns[-1],
            file_rows(bad.index),
            values,
            problem,
            f"correct the code or add the missing row to {ref_label}",
        )


def check_cycles(deps: pd.DataFrame, src: Source, out: Collector, enc: Encoder) -> None:
    """Find dependency loops with a vectorised topological sort (Kahn's algorithm).

    Nodes whose in-degree never reaches zero lie on a loop or after one; only
    for those does a short walk name the tasks of each loop.
    """
    pred_codes, succ_codes, task_values = shared_codes(enc, "dependencies", deps, "predecessor_id", "successor_id")
    keep = (pred_codes >= 0) & (succ_codes >= 0) & (pred_codes != succ_codes)
    if not keep.any():
        return
    project, project_values = enc.codes("dependencies", deps, "project_id")
    width = len(task_values) + 1
    node_keys = np.concatenate([(project * width + pred_codes)[keep], (project * width + succ_codes)[keep]])
    codes, uniques = pd.factorize(node_keys)
    deps = deps[keep]
    m = len(deps)
    pred, succ = codes[:m], codes[m:]
    left = topological_leftovers(pred, succ, len(uniques))
    if not left.any():
        return

    def name(node: int) -> tuple[str, str]:
        key = int(uniques[node])
        return str(project_values[key // width]), str(task_values[key % width])

    rows = file_rows(deps.index)
    edge_left = left[pred] & left[succ]
    preds_of: dict[int, list[tuple[int, int]]] = {}
    for p, s, r in zip(pred[edge_left], succ[edge_left], rows[edge_left], strict=True):
        preds_of.setdefault(int(s), []).append((int(p), int(r)))
    reported: set[frozenset] = set()
    for start in np.flatnonzero(left):
        path, seen, node = [], {}, int(start)
        while node not in seen:
            seen[node] = len(path)
            path.append(node)
            node = preds_of[node][0][0]
        loop = path[seen[node] :]
        key = frozenset(loop)
        if key in reported:
            continue
        reported.add(key)
        loop = list(reversed(loop))  # predecessor → successor order
        tasks = [name(i)[1] for i in loop]
        project = name(loop[0])[0]
        row = min(r for p, r in preds_of[loop[0]] if p == loop[-1])
        chain = " → ".join([*tasks, tasks[0]])
        out.add(
            "error",
            src,
            f"dependency loop in project {project}: {chain}",
            "a task cannot (indirectly) wait for itself; remove or reverse one of these links",
            row=row,
            column="successor_id",
            value=chain,
        )


def topological_leftovers(pred: np.ndarray, succ: np.ndarray, n: int) -> np.ndarray:
    """Boolean mask of nodes that a topological sort cannot place (on or after a loop)."""
    return topological_levels(pred, succ, n) < 0


def check_demand_quarters(demand: pd.DataFrame, proposals: pd.DataFrame, src: Source, out: Collector) -> None:
    """A proposal's demand falls inside its work: quarter 1 to its duration_quarters."""
    duration = demand["proposal_id"].map(proposals.set_index("proposal_id")["duration_quarters"])
    bad = (demand["quarter"] > duration).fillna(False).to_numpy(dtype=bool)
    if bad.any():
        out.add_rows(
            "error",
            src,
            "quarter",
            file_rows(demand.index[bad]),
            demand.loc[bad, "quarter"].astype(str) + " (the work lasts " + duration[bad].astype(str) + " quarters)",
            "the demand falls after the proposal's work ends",
            "lengthen the proposal's duration_quarters or move the demand into quarters 1 to duration_quarters",
        )


def check_proposal_links(links: pd.DataFrame, src: Source, out: Collector) -> None:
    """No proposal requires itself round a loop, and no pair both requires and excludes each other."""
    requires = links[(links["link"].astype(str) == "requires") & (links["proposal_id"] != links["other_id"])]
    rows = file_rows(links.index)
    row_of = dict(zip(zip(links["proposal_id"], links["other_id"], strict=True), rows, strict=True))
    both = links.assign(pair=[frozenset(p) for p in zip(links["proposal_id"], links["other_id"], strict=True)])
    kinds = both.groupby("pair")["link"].agg(lambda s: set(s.astype(str)))
    for pair in kinds.index[kinds.map(lambda k: k == {"requires", "excludes"})]:
        a, b = sorted(pair)
        row = min(r for key, r in row_of.items() if frozenset(key) == pair)
        out.add(
            "error",
            src,
            f"{a} and {b} both require and exclude each other",
            "keep the requires or the excludes link, not both",
            row=int(row),
            column="link",
            value=f"{a} / {b}",
        )
    if requires.empty:
        return
    codes, names = pd.factorize(pd.concat([requires["proposal_id"], requires["other_id"]], ignore_index=True))
    m = len(requires)
    left = topological_leftovers(codes[m:], codes[:m], len(names))  # b before a when a requires b
    if not left.any():
        return
    needs: dict[int, list[int]] = {}
    for a, b in zip(codes[:m], codes[m:], strict=True):
        if left[a] and left[b]:
            needs.setdefault(int(a), []).append(int(b))
    reported: set[frozenset] = set()
    for start in np.flatnonzero(left):
        path, seen, node = [], {}, int(start)
        while node not in seen and node in needs:
            seen[node] = len(path)
            path.append(node)
            node = needs[node][0]
        if node not in seen:
            continue
        loop = path[seen[node] :]
        if frozenset(loop) in reported:
            continue
        reported.add(frozenset(loop))
        chain = " → ".join(str(names[i]) for i in [*loop, loop[0]])
        out.add(
            "error",
            src,
            f"proposals require each other round a loop: {chain}",
            "none of them could ever start; remove one of these requires links",
            row=int(row_of[(names[loop[0]], names[loop[1 % len(loop)]])]),
            column="other_id",
            value=chain,
        )
