"""``pmo select``: which proposals to start, chosen optimally within the budget and the free people."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_DATA, data_argument, load_or_exit, usage_error

FORMATS = ("table", "csv", "xlsx")
MONEY = "#,##0"


def _budget(text: str | None):
    """``3000000`` (every year) or ``2027=3000000,2028=2500000`` (per year), or None."""
    if text is None:
        return None
    try:
        if "=" not in text:
            return float(text.replace("_", ""))
        pairs = (part.split("=") for part in text.split(","))
        return {int(year): float(amount.replace("_", "")) for year, amount in pairs}
    except ValueError:
        usage_error(
            "select", f"--budget {text!r}: give one amount for every year (3000000) or 2027=3000000,2028=2500000"
        )


@click.command(short_help="Choose the proposals to start within the budget and the people (optimal, with reasons).")
@data_argument
@click.option(
    "--budget",
    default=None,
    help="Budget per year: one amount, or 2027=3000000,2028=2500000 [default: investment_budget].",
)
@click.option(
    "--standard",
    type=click.Path(path_type=Path),
    default=None,
    help="Standard file with the scoring criteria and gates.",
)
@click.option(
    "--horizon", type=click.IntRange(1, 40), default=8, show_default=True, help="Planning horizon [quarters]."
)
@click.option(
    "--start",
    default=None,
    help="First quarter of the horizon, as a date (YYYY-MM-DD) [default: the quarter after the data date].",
)
@click.option(
    "--objective", type=click.Choice(["score", "npv"]), default=None, help="What to maximise [default: the standard's]."
)
@click.option("--include", multiple=True, help="A proposal to start whatever it costs (repeat for more).")
@click.option("--exclude", multiple=True, help="A proposal to leave out (repeat for more).")
@click.option(
    "--time-limit",
    type=click.FloatRange(0.1, 3600),
    default=60,
    show_default=True,
    help="Longest the solver may search [seconds].",
)
@click.option(
    "--trade-offs/--no-trade-offs",
    default=True,
    show_default=True,
    help="Also solve the efficient frontier (10 % to 200 % of the budget) and what moves with 10 % more or less budget.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to this file instead of the screen.")
@click.option(
    "--scenario",
    type=click.Path(path_type=Path),
    default=None,
    help="Also save the chosen portfolio as a what-if scenario (YAML).",
)
def select(data, budget, standard, horizon, start, objective, include, exclude, time_limit, trade_offs, fmt, out, scenario) -> None:  # fmt: skip
    """Score the proposals by the standard, then choose the portfolio of greatest value that keeps
    within the budget of every year, the free people of every role in every quarter and the
    links between proposals (an exact mixed-integer programme, HiGHS). The greedy choice by value
    per cost is shown beside it, and every proposal left out gets its reason. The efficient frontier
    (best value at 20 budget levels) and the proposals that enter with 10 % more budget or drop
    with 10 % less follow, unless --no-trade-offs.

    Exit 0 when a portfolio was chosen, 1 when the data has errors or the mandatory proposals
    cannot all fit (the reason is printed), 2 for a usage error.
    """
    import pandas as pd

    from ..demand.decision import decide, to_scenario
    from ..demand.decision import trade_offs as solve_trade_offs
    from ..demand.intake import DemandError, build
    from ..errors import StandardError
    from ..standards import load as load_standard

    if fmt == "xlsx" and out is None:
        usage_error("select", "--format xlsx needs --out FILE.xlsx")
    if start is not None:
        try:
            start = pd.Timestamp(start)
        except ValueError:
            usage_error("select", f"--start {start!r} is not a date in the form YYYY-MM-DD")
    amounts = _budget(budget)
    try:
        rules = load_standard(standard)
    except (StandardError, FileNotFoundError) as exc:
        usage_error("select", str(exc))
    portfolio = load_or_exit("select", data)
    try:
        intake = build(portfolio, rules.demand, start=start, horizon=horizon, budget=amounts, objective=objective)
        decision = decide(intake, force_in=include, force_out=exclude, time_limit=time_limit)
    except DemandError as exc:
        usage_error("select", str(exc))
    if not decision.ok:
        click.echo(f"pmo select: no portfolio can be chosen: {decision.best.message}", err=True)
        sys.exit(EXIT_DATA)
    extra = solve_trade_offs(decision) if trade_offs else None
    if scenario is not None:
        from ..scenarios import save

        save(to_scenario(decision), scenario)
    if out is None:
        click.echo(_text(decision, extra) if fmt == "table" else _csv(decision))
    else:
        _write(decision, extra, fmt, out)
        click.echo(f"Wrote {len(decision.selected)} selected and {len(decision.rejected)} left-out proposals to {out}")
    if scenario is not None:
        click.echo(f"Wrote the scenario to {scenario} (open it with: pmo whatif {scenario})")


def _one_table(decision):
    import pandas as pd

    chosen = decision.selected.assign(decision="selected", reason="")
    left = decision.rejected.assign(decision="left out")
    columns = ["proposal_id", "name", "decision", "start", "finish", "score", "npv", "cost", "mandatory", "reason"]
    return pd.concat([chosen, left], ignore_index=True).reindex(columns=columns)


def _csv(decision) -> str:
    from ..export import neutralise

    return neutralise(_one_table(decision)).to_csv(index=False).rstrip("\n")


def _write(decision, extra, fmt: str, out: Path) -> None:
    from ..export import write_csv, write_xlsx
    from ..files import atomic_open

    if fmt == "xlsx":
        sheets = {
            "Selected": decision.selected,
            "Left out": decision.rejected,
            "Ranking": decision.intake.scores,
            "Budget": decision.spend,
            "People": decision.people,
            "Optimum vs greedy": decision.comparison,
        }
        if extra is not None:
            sheets |= {"Frontier": extra[0], "At the margin": extra[1]}
        write_xlsx(sheets, out, {c: MONEY for c in ("npv", "cost", "budget", "selected", "left", "spent")})
    elif fmt == "csv":
        write_csv(_one_table(decision), out)
    else:
        with atomic_open(out, "w", encoding="utf-8") as fh:
            fh.write(_text(decision, extra) + "\n")


def _text(decision, extra=None) -> str:
    """The decision for the terminal: headline, money per year, the chosen ones, the ones left out and why, trade-offs."""
    from ..export import neutralise

    intake, best = decision.intake, decision.best
    money = intake.currency or ""
    quick = decision.quick
    what = "total score" if intake.objective == "score" else f"total NPV [{money}]"
    proved = (
        "proven optimal"
        if best.status == "optimal"
        else f"best found in the time limit, within {best.gap:.1%} of the optimum"
    )
    gain = (best.value - quick.value) / abs(quick.value) if quick.value else float("nan")
    lines = [
        f"Horizon {intake.labels[0]} to {intake.labels[-1]}; {len(intake.scores)} proposals, {len(intake.problem.ids)} eligible.",
        f"Chosen: {len(decision.selected)} proposals, {what} {best.value:,.1f} ({proved}, {best.seconds:.2f} s).",
        f"Greedy by value per cost: {len(quick.chosen)} proposals, {quick.value:,.1f} ({gain:+.1%} for the optimum).",
        "",
        f"Budget per year [{money}]:",
    ]
    for row in decision.spend.itertuples(index=False):
        lines.append(f"  {row.year}: {row.selected:>14,.0f} of {row.budget:>14,.0f}  ({row.left:,.0f} left)")
    shown = decision.selected[["proposal_id", "name", "start", "finish", "score", "npv", "cost", "mandatory"]]
    lines += ["", "Selected:", neutralise(shown).to_string(index=False, float_format=lambda v: f"{v:,.1f}")]
    left = decision.rejected[["proposal_id", "name", "score", "reason"]]
    lines += ["", "Left out, and why:", neutralise(left).to_string(index=False, max_colwidth=110)]
    if extra is not None:
        lines += _trade_off_lines(*extra, money, what)
    return "\n".join(lines)


def _trade_off_lines(curve, edge, money: str, what: str) -> list[str]:
    from ..export import neutralise

    lines = ["", "At the margin:"]
    if edge.empty:
        lines.append("  nothing enters with 10 % more budget and nothing drops with 10 % less.")
    else:
        lines.append(neutralise(edge).to_string(index=False, float_format=lambda v: f"{v:,.1f}"))
    lines += ["", f"Efficient frontier (best {what} at each budget, all years together) [{money}]:"]
    for row in curve.itertuples(index=False):
        best = f"{row.value:,.1f}" if row.status != "infeasible" else "the mandatory ones do not fit"
        lines.append(f"  {row.budget_share:>5.0%} {row.budget:>14,.0f}  {best:>10}  ({row.proposals} proposals)")
    return lines
