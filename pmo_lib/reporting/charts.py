"""Report charts: matplotlib figures for print and screen, PNG-embedded, with RAG shown by colour and label.

Every function takes the tables the analytics return and gives back a
``matplotlib.figure.Figure`` (built without pyplot, so nothing pops up and
nothing depends on global state). :func:`png` turns a figure into an image
for a notebook. Titles say what is shown and in which unit or currency; RAG
is always written as its letter (R, A, G) and drawn with a hatch as well as a
colour, so the charts read in black and white and for colour-blind readers.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

# Colour-blind-safe RAG colours (Okabe-Ito vermilion, orange, bluish green), each with its own hatch.
RAG_COLOURS = {"R": "#D55E00", "A": "#E69F00", "G": "#009E73"}
RAG_HATCH = {"R": "xx", "A": "//", "G": ""}
RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green"}
STATE_STYLE = {  # milestone state -> (colour, marker)
    "slipped": ("#D55E00", "X"),
    "due": ("#E69F00", "D"),
    "achieved": ("#009E73", "o"),
    "upcoming": ("#0072B2", "^"),
}
DPI = 100


def _figure(width: float = 9.0, height: float = 4.0):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    return fig, fig.add_subplot()


def png(fig) -> bytes:
    """The figure as PNG bytes (fixed size and resolution, no timestamp)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def show(fig, alt: str | None = None):
    """The figure as an image for a notebook cell (embedded PNG; the same bytes every run).

    ``alt`` is the text screen readers say (default: the chart's title).
    """
    from IPython.display import Image

    title = next((ax.get_title() for ax in fig.axes if ax.get_title()), "chart")
    return Image(data=png(fig), format="png", alt=alt or title.replace("\n", " - "))


def money(value: float, currency: str) -> str:
    """Money for a label: ``GBP 1.2m``, ``GBP 350k``."""
    if not np.isfinite(value):
        return "-"
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"{currency} {value / size:,.1f}{suffix}"
    return f"{currency} {value:,.0f}"


def rag_counts(ratings: pd.Series, title: str = "Projects by computed overall RAG"):
    """Horizontal bars: how many projects are red, amber, green (labelled with letter and count)."""
    fig, ax = _figure(7, 2.6)
    counts = ratings.value_counts().reindex(["R", "A", "G"], fill_value=0)
    labels = [f"{RAG_WORDS[k]} ({k})" for k in counts.index]
    bars = ax.barh(labels, counts.to_numpy(), color=[RAG_COLOURS[k] for k in counts.index], edgecolor="black")
    for bar, key, n in zip(bars, counts.index, counts.to_numpy(), strict=True):
        bar.set_hatch(RAG_HATCH[key])
        ax.text(bar.get_width() + 0.1, bar.get_y() + bar.get_height() / 2, f"{n}", va="center")
    ax.invert_yaxis()
    ax.set_xlabel("projects")
    ax.set_title(title)
    ax.set_xlim(0, max(1, counts.max()) * 1.15)
    return fig


def milestone_timeline(milestones: pd.DataFrame, as_of, title: str = "Milestones: slipped, due and coming"):
    """Gantt-style: each milestone on its own line, a bar from baseline to forecast, marker by state."""
    rows = milestones.head(30).iloc[::-1]
    fig, ax = _figure(9, max(2.5, 0.32 * len(rows) + 1.2))
    if rows.empty:
        ax.text(0.5, 0.5, "No milestones slipped, due or coming in this period", ha="center", va="center")
        ax.set_axis_off()
        return fig
    y = np.arange(len(rows))
    baseline = pd.to_datetime(rows["baseline_date"])
    seen = pd.to_datetime(rows["actual_date"]).fillna(pd.to_datetime(rows["forecast_date"]))
    ax.hlines(y, baseline, seen, color="#999999", linewidth=3)
    ax.plot(baseline, y, "|", color="black", markersize=12, label="baseline")
    for state, (colour, marker) in STATE_STYLE.items():
        pick = (rows["state"] == state).to_numpy()
        if pick.any():
            ax.plot(seen[pick], y[pick], marker, color=colour, markersize=9, linestyle="none", label=state)
    ax.axvline(pd.Timestamp(as_of), color="black", linestyle="--", linewidth=1, label="status date")
    ax.set_yticks(y, (rows["project_id"].astype(str) + "  " + rows["name"].astype(str).str.slice(0, 28)).tolist())
    ax.set_title(title)
    fig.legend(loc="outside lower center", fontsize=8, ncols=6)
    return fig


def _money_over_time(fig, ax, as_of, currency: str, title: str) -> None:
    """The common finish of a cumulative-money chart: status-date line, currency axis, title, legend, dates."""
    ax.axvline(pd.Timestamp(as_of), color="black", linestyle="--", linewidth=1, label="status date")
    ax.set_ylabel(f"cumulative {currency}")
    ax.yaxis.set_major_formatter(lambda v, _: money(v, currency))
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    fig.autofmt_xdate()


def s_curve(curve: pd.DataFrame, as_of, currency: str, title: str = "S-curve: planned, earned and actual cost"):
    """Cumulative PV, EV and AC by month (lines differ in style and marker, not only colour)."""
    fig, ax = _figure(9, 4)
    styles = {"pv": ("PV (planned value)", "-", "o", "#0072B2"), "ev": ("EV (earned value)", "--", "s", "#009E73")}
    styles["ac"] = ("AC (actual cost)", ":", "^", "#D55E00")
    month_end = pd.to_datetime(curve["month"]) + pd.offsets.MonthEnd(0)  # cumulative to the end of each month
    for column, (label, line, marker, colour) in styles.items():
        ax.plot(month_end, curve[column], linestyle=line, marker=marker, markersize=4, color=colour, label=label)
    _money_over_time(fig, ax, as_of, currency, title)
    return fig


def burn(monthly: pd.DataFrame, as_of, currency: str, title: str = "Burn against budget"):
    """Cumulative actual spend against the cumulative phased budget and forecast."""
    fig, ax = _figure(9, 3.6)
    month_end = pd.to_datetime(monthly["month"]) + pd.offsets.MonthEnd(0)
    ax.plot(month_end, monthly["budget_cum"], "-", color="#0072B2", label="budget (cumulative)")
    ax.plot(month_end, monthly["forecast_cum"], "--", color="#E69F00", label="forecast (cumulative)")
    ax.plot(month_end, monthly["actual_cum"], ":", marker="^", markersize=4, color="#D55E00", label="actual")
    _money_over_time(fig, ax, as_of, currency, title)
    return fig


def heat_map(counts: pd.DataFrame, title: str = "Open risks: probability x impact"):
    """The 5x5 matrix with the count of risks written in each cell; bands by shade and by word."""
    from ..risk import rating, score

    fig, ax = _figure(5.2, 4.4)
    probability = counts.index.to_numpy()
    impact = counts.columns.to_numpy()
    scores = score(np.repeat(probability, impact.size), np.tile(impact, probability.size))
    bands = np.asarray(rating(scores)).reshape(probability.size, impact.size)
    shade = {"high": "#D55E00", "medium": "#E69F00", "low": "#CCE5DF"}
    for i in range(probability.size):
        for j in range(impact.size):
            band = bands[i, j]
            ax.add_patch(_rect(j, i, shade[band], "xx" if band == "high" else ("//" if band == "medium" else "")))
            n = int(counts.iloc[i, j])
            ax.text(j + 0.5, i + 0.5, f"{n}" if n else "", ha="center", va="center", fontsize=12, weight="bold",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1} if n else None)  # fmt: skip
    ax.set_xlim(0, impact.size)
    ax.set_ylim(probability.size, 0)
    ax.set_xticks(np.arange(impact.size) + 0.5, [str(v) for v in impact])
    ax.set_yticks(np.arange(probability.size) + 0.5, [str(v) for v in probability])
    ax.set_xlabel("impact (1 low - 5 very high)")
    ax.set_ylabel("probability (5 very high - 1 low)")
    ax.set_title(title + "\nshading: high (cross-hatched), medium (lined), low (plain)", fontsize=10)
    return fig


def _rect(x, y, colour, hatch):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), 1, 1, facecolor=colour, edgecolor="white", hatch=hatch, alpha=0.8)


def utilisation(table: pd.DataFrame, title: str = "Utilisation by team (booked hours / available hours)"):
    """Grouped bars per team, one bar per period, with the 100 % line; values written on the bars."""
    wide = table.pivot(index="team", columns="period", values="utilisation").fillna(0.0) * 100
    fig, ax = _figure(9, max(3.0, 0.45 * len(wide) + 1.5))
    y = np.arange(len(wide))
    height = 0.8 / max(1, wide.shape[1])
    hatches = ["", "..", "\\\\", "--"]
    for k, period in enumerate(wide.columns):
        label = pd.Timestamp(period).strftime("%b %Y")
        bars = ax.barh(y + k * height, wide[period].to_numpy(), height=height, label=label,
                       hatch=hatches[k % len(hatches)], edgecolor="black", color=["#56B4E9", "#0072B2", "#999999", "#CC79A7"][k % 4])  # fmt: skip
        for bar, value in zip(bars, wide[period].to_numpy(), strict=True):
            ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, f"{value:.0f}%", va="center", fontsize=7)
    ax.axvline(100, color="#D55E00", linestyle="--", label="capacity (100 %)")
    ax.set_yticks(y + height * (wide.shape[1] - 1) / 2, wide.index.tolist())
    ax.invert_yaxis()
    ax.set_xlabel("% of available hours booked")
    ax.set_title(title)
    ax.legend(fontsize=8, loc="lower right")
    return fig


def frontier(
    points: pd.DataFrame, stated: float, currency: str, title: str = "Efficient frontier: best value at each budget"
):
    """Best total value against the total budget (``demand.frontier``), the stated budget marked."""
    fig, ax = _figure(9.0, 3.6)
    ax.plot(points["budget"] / 1e6, points["value"], marker="o", color="#0072B2")
    ax.axvline(stated / 1e6, color="#D55E00", linestyle="--", label="stated budget")
    ax.set_xlabel(f"Budget over the horizon [{currency} m]")
    ax.set_ylabel("Best total value")
    ax.set_title(title)
    ax.legend(loc="lower right")
    ax.grid(alpha=0.3)
    return fig


def _month_axis(ax, months) -> None:
    """Report months along the x axis as ``Mon YY`` (every other one when there are many)."""
    months = pd.to_datetime(pd.Series(months)).drop_duplicates().sort_values()
    step = 1 if len(months) <= 9 else 2
    ax.set_xticks(months.iloc[::step], [f"{m:%b %y}" for m in months.iloc[::step]], fontsize=8)


def index_trend(indices: pd.DataFrame, title: str = "Portfolio SPI and CPI by report month"):
    """The portfolio's SPI and CPI per report month (``store.trends.portfolio_indices``), with the 1.0 line."""
    fig, ax = _figure(9, 3.4)
    month = pd.to_datetime(indices["month"])
    ax.plot(month, indices["spi"], "-", marker="o", color="#0072B2", label="SPI (EV / PV)")
    ax.plot(month, indices["cpi"], "--", marker="s", color="#D55E00", label="CPI (EV / AC)")
    ax.axhline(1.0, color="black", linewidth=1, linestyle=":", label="1.0 (on plan)")
    for column, dy in (("spi", 8), ("cpi", -12)):
        last = indices[column].last_valid_index()
        if last is not None:
            ax.annotate(f"{indices.loc[last, column]:.2f}", (month[last], indices.loc[last, column]),
                        textcoords="offset points", xytext=(6, dy), fontsize=8)  # fmt: skip
    _month_axis(ax, month)
    ax.set_ylabel("index (1.0 = on plan)")
    ax.set_title(title)
    ax.legend(loc="lower left", fontsize=8, ncols=3)
    ax.grid(alpha=0.3)
    return fig


def project_index_trends(project_months: pd.DataFrame, title: str = "SPI and CPI by report month, per live project"):
    """Small multiples: one panel per project rated in the last month, SPI (solid) and CPI (dashed), 1.0 dotted."""
    from matplotlib.figure import Figure

    last = project_months["month"].max()
    ids = sorted(project_months.loc[(project_months["month"] == last) & project_months["overall_rag"].notna(),
                                    "project_id"].unique())  # fmt: skip
    cols = 6
    rows = max(1, -(-len(ids) // cols))
    fig = Figure(figsize=(10, 1.55 * rows + 0.8), dpi=DPI, layout="constrained")
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False).ravel()
    months = pd.to_datetime(project_months["month"]).drop_duplicates().sort_values()
    for ax, pid in zip(axes, ids, strict=False):
        rows_of = project_months[project_months["project_id"] == pid].sort_values("month")
        ax.plot(rows_of["month"], rows_of["spi"].clip(0, 2), "-", color="#0072B2", linewidth=1.4)
        ax.plot(rows_of["month"], rows_of["cpi"].clip(0, 2), "--", color="#D55E00", linewidth=1.4)
        ax.axhline(1.0, color="black", linewidth=0.8, linestyle=":")
        rag = rows_of["overall_rag"].iloc[-1]
        ax.set_title(f"{pid} ({rag})", fontsize=8, color=RAG_COLOURS.get(rag, "black"), weight="bold")
        ax.tick_params(labelsize=7)
    for ax in axes[len(ids) :]:
        ax.set_axis_off()
    axes[0].set_ylim(0, 2)
    ticks = [months.iloc[0], months.iloc[-1]] if len(months) > 1 else [months.iloc[0]]
    for ax in axes:
        ax.set_xticks(ticks, [f"{m:%b %y}" for m in ticks], fontsize=7)
    fig.suptitle(title + "\nSPI solid, CPI dashed, 1.0 dotted; values above 2 drawn at 2", fontsize=10)
    return fig


def rag_strip(strip: pd.DataFrame, title: str = "Computed RAG by report month"):
    """The RAG history strip: one row per project, one cell per report month, coloured, hatched and lettered."""
    fig, ax = _figure(10, max(2.2, 0.28 * len(strip) + 1.4))
    for i, (_, row) in enumerate(strip.iterrows()):
        for j, rag in enumerate(row.to_numpy()):
            if rag in RAG_COLOURS:
                ax.add_patch(_rect(j, i, RAG_COLOURS[rag], RAG_HATCH[rag]))
                ax.text(j + 0.5, i + 0.5, rag, ha="center", va="center", fontsize=7, weight="bold")
    ax.set_xlim(0, strip.shape[1])
    ax.set_ylim(len(strip), 0)
    ax.set_xticks(np.arange(strip.shape[1]) + 0.5, [pd.Period(m).strftime("%b %y") for m in strip.columns],
                  fontsize=7, rotation=90)  # fmt: skip
    ax.set_yticks(np.arange(len(strip)) + 0.5, strip.index.tolist(), fontsize=7)
    ax.set_title(title + " (blank: not rated or not yet started)", fontsize=10)
    return fig


def milestone_trend(trend: pd.DataFrame, title: str = "Milestone trend analysis: forecast date by report month"):
    """The MTA slip chart: report month across, forecast date up, one line per milestone.

    A flat line is a milestone holding its date; a rising one is slipping. The diagonal is where
    forecast date equals report date: a line ends on it when the milestone is reached.
    """
    fig, ax = _figure(9, 4.6)
    if trend.empty:
        ax.text(0.5, 0.5, "Not enough recorded months for a milestone trend", ha="center", va="center")
        ax.set_axis_off()
        return fig
    month_end = pd.to_datetime(trend["month"]) + pd.offsets.MonthEnd(0)
    trend = trend.assign(report=month_end, date=pd.to_datetime(trend["date"]))
    markers = ["o", "s", "^", "D", "v", "P", "X", "*"]
    for k, (label, rows) in enumerate(trend.groupby("label", sort=False)):
        rows = rows.sort_values("report")
        ax.plot(rows["report"], rows["date"], marker=markers[k % len(markers)], markersize=4, linewidth=1.3,
                label=f"{label} ({rows['moved_days'].iloc[0]:+.0f} d)")  # fmt: skip
    low = min(trend["report"].min(), trend["date"].min())
    high = max(trend["report"].max(), trend["date"].max())
    ax.plot([low, high], [low, high], color="black", linewidth=0.8, linestyle=":", label="forecast = report date")
    ax.set_xlim(trend["report"].min() - pd.Timedelta(days=10), trend["report"].max() + pd.Timedelta(days=10))
    _month_axis(ax, trend["report"])
    ax.set_xlabel("report month")
    ax.set_ylabel("forecast date")
    ax.set_title(title + "\n(rising line: slipping; in brackets: the move over the months shown, calendar days)",
                 fontsize=10)  # fmt: skip
    fig.legend(loc="outside right center", fontsize=7)
    return fig
