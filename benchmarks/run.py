"""Run the PMO Lab benchmarks: `make bench` (or `python benchmarks/run.py [--quick]`).

Cases (each against a floor measured in the same run):
- load + validate the sample dataset vs plain ``pandas.read_csv`` of its files;
- load + validate the 2,000-project synthetic dataset vs plain ``read_csv``
  (target: at most 3x), and the same with every table's rows shuffled (files
  not sorted by their key, so uniqueness must be proved by hashing);
- generating the 2,000-project dataset (target: well under a minute), against
  writing the same tables with ``DataFrame.to_csv`` (the floor of any generator);
- critical path of the whole portfolio and of one deep network against a
  plain-Python pass, networkx and rustworkx (see ``cpm_cases``);
- Monte Carlo, 10,000 iterations of a 1,000-task network, against
  ``pmcontrols.pert`` and ``trueppm_scheduler.monte_carlo`` (target 0.1x);
- earned value of every project of the 2,000-project dataset (2M timesheet
  rows) against one pandas groupby-sum of the same timesheet rows;
- ``pmo report`` for one sample portfolio against papermill running an empty
  notebook plus the same HTML export (target 1.5x), and the report of the
  2,000-project dataset (target under 60 s).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Result, compare, print_results, quick_option, timed  # noqa: E402

import pmo_lib as pmo  # noqa: E402
from pmo_lib import data, synth  # noqa: E402

LARGE_DIR = HERE / "data" / "large"


def read_all(folder: Path) -> None:
    for f in sorted(folder.glob("*.csv")):
        pd.read_csv(f)


def ensure_large() -> float:
    """Generate the large dataset once (kept in benchmarks/data); return generation seconds."""
    marker = LARGE_DIR / ".shape"
    shape = repr(synth.LARGE)
    start = time.perf_counter()
    if not (marker.exists() and marker.read_text() == shape):
        synth.write(synth.generate(synth.LARGE), LARGE_DIR)
        marker.write_text(shape)
    return time.perf_counter() - start


def ensure_shuffled() -> Path:
    """The large dataset with every table's rows in random order (no sorted-key fast path)."""
    target = HERE / "data" / "large_shuffled"
    marker = target / ".shape"
    if not (marker.exists() and marker.read_text() == repr(synth.LARGE)):
        target.mkdir(parents=True, exist_ok=True)
        for f in sorted(LARGE_DIR.glob("*.csv")):
            frame = pd.read_csv(f, dtype=str, keep_default_na=False)
            frame.sample(frac=1.0, random_state=1).to_csv(target / f.name, index=False)
        marker.write_text(repr(synth.LARGE))
    return target


def cpm_cases(repeat: int) -> list:
    """Critical path of all 2,000 projects: PMO Lab's vectorised pass against its peers.

    networkx and rustworkx are timed on graphs built beforehand, and PMO Lab on a network
    compiled beforehand (``compile_network``); rustworkx also from the same loaded tables as
    PMO Lab's ``critical_path(tasks, deps)``. The build times are printed, not compared.
    """
    from cpm_peers import (
        deep_network,
        graphs,
        networkx_longest,
        plain_python_cpm,
        rustworkx_from_tables,
        rustworkx_longest,
    )

    from pmo_lib.schedule import compile_network, critical_path

    portfolio = data.load_portfolio(LARGE_DIR)
    tasks, deps = portfolio.tasks, portfolio.dependencies
    ours = critical_path(tasks, deps)
    peer = plain_python_cpm(tasks, deps)  # the two must agree before their speed is compared
    floats = dict(zip(zip(tasks["project_id"], tasks["task_id"], strict=True), ours["total_float"], strict=True))
    assert all(peer[t][1] == floats[t] for t in list(peer)[:: max(1, len(peer) // 5000)])
    cases = [
        compare(
            "CPM 2,000 projects (199k tasks)",
            lambda: critical_path(tasks, deps),
            lambda: plain_python_cpm(tasks, deps),
            "plain-Python full pass",
            repeat=repeat,
            target=0.25,
        ),
    ]
    deep_tasks, deep_deps = deep_network()
    deep_ours = critical_path(deep_tasks, deep_deps)["total_float"].tolist()
    deep_peer = plain_python_cpm(deep_tasks, deep_deps)
    assert deep_ours == [deep_peer[("DEEP", t)][1] for t in deep_tasks["task_id"]]
    cases.append(
        compare(
            "CPM one deep network (100k tasks)",
            lambda: critical_path(deep_tasks, deep_deps),
            lambda: plain_python_cpm(deep_tasks, deep_deps),
            "plain-Python full pass",
            repeat=repeat,
            target=1.5,
        )
    )
    try:
        started = time.perf_counter()
        g_nx, g_rx = graphs(tasks, deps)
        built = time.perf_counter() - started
    except ImportError:
        print("networkx / rustworkx not installed (pip install -e '.[bench]'): peers skipped")
        return cases
    # like for like: the peers' graphs are built beforehand, so PMO Lab's network is compiled
    # beforehand too (the join of links onto tasks, the levels, the pass layouts); from the
    # tables, both start from the same loaded frames
    network = compile_network(tasks, deps)
    compile_time = min(timed(lambda: compile_network(tasks, deps)) for _ in range(repeat))
    print(
        f"built beforehand, not in the ratios: PMO Lab's network {compile_time:.3f} s; "
        f"the networkx and rustworkx graphs {built:.1f} s"
    )
    assert critical_path(tasks, deps, network).equals(ours)
    built_case, from_tables = "CPM 2,000 projects, network built", "CPM 2,000 projects (199k tasks)"
    prebuilt = lambda: critical_path(tasks, deps, network)  # noqa: E731
    tables = lambda: critical_path(tasks, deps)  # noqa: E731
    peers = [
        (built_case, prebuilt, lambda: networkx_longest(g_nx), "networkx longest path only"),
        (built_case, prebuilt, lambda: rustworkx_longest(g_rx), "rustworkx longest path only"),
        (from_tables, tables, lambda: rustworkx_from_tables(tasks, deps), "rustworkx from the tables"),
    ]
    for case, ours_now, peer, peer_name in peers:
        cases.append(compare(case, ours_now, peer, peer_name, repeat=repeat, target=1.0))
    return cases


def monte_carlo_cases(repeat: int) -> list:
    """10,000 iterations of one 1,000-task network: PMO Lab against pmcontrols and trueppm-scheduler."""
    from mc_peers import network, pmcontrols_activities, trueppm_project

    from pmo_lib.schedule_risk import finish_percentiles, simulate

    tasks, deps, preds = network()
    ours = finish_percentiles(simulate(tasks, deps, iterations=10_000, distribution="pert", seed=1)["finish"])
    try:
        import trueppm_scheduler as tp
        from pmcontrols import pert
    except ImportError:
        print("pmcontrols / trueppm-scheduler not installed (pip install -e '.[dev]'): peers skipped")
        return []
    acts = pmcontrols_activities(tasks, preds)
    theirs = pert(acts, n_sim=10_000, seed=1).stats
    # the same network must give the same answer before speed is compared (within Monte Carlo noise)
    assert abs(ours.loc["P", "p50"] - theirs["mc_p50"]) / theirs["mc_p50"] < 0.01, (ours, theirs)
    project = trueppm_project(tasks, preds)
    cases = [
        compare(
            "Monte Carlo 10k x 1,000 tasks",
            lambda: simulate(tasks, deps, iterations=10_000, distribution="pert", seed=1),
            lambda: pert(acts, n_sim=10_000, seed=1),
            "pmcontrols.pert",
            repeat=repeat,
            target=0.1,
        ),
        compare(
            "Monte Carlo 10k x 1,000 tasks",
            lambda: simulate(tasks, deps, iterations=10_000, distribution="pert", seed=1),
            lambda: tp.monte_carlo(project, runs=10_000, seed=1),
            "trueppm_scheduler.monte_carlo",
            repeat=max(2, repeat // 2),
            target=0.1,
        ),
    ]
    return cases


def evm_cases(repeat: int) -> list:
    """Earned value of all 2,000 projects against the floor of one groupby-sum of the timesheet rows."""
    from pmo_lib.evm import status

    portfolio = data.load_portfolio(LARGE_DIR)
    hours = portfolio.timesheets
    return [
        compare(
            "EVM status, 2,000 projects",
            lambda: status(portfolio),
            lambda: hours.groupby(["project_id", "week_start"], observed=True)["hours"].sum(),
            "groupby-sum of 2M timesheet rows",
            repeat=repeat,
        )
    ]


def report_cases(repeat: int, large: bool) -> list:
    """``pmo report`` end to end against its floor; the 2,000-project report timed once (target < 60 s)."""
    import subprocess
    import tempfile

    pmo_exe = str(Path(sys.executable).with_name("pmo"))
    work = Path(tempfile.mkdtemp(prefix="pmo-bench-"))
    args = [pmo_exe, "report", "--month", "2026-10", "--portfolio", "Digital Services", "--out", str(work)]

    def report():
        subprocess.run(args, check=True, capture_output=True)

    report()
    executed = work / "2026-10" / "digital-services.ipynb"
    floor = [sys.executable, str(HERE / "report_floor.py"), str(executed), str(work)]
    cases = [
        compare(
            "pmo report, one sample portfolio",
            report,
            lambda: subprocess.run(floor, check=True, capture_output=True),
            "papermill empty notebook + export",
            repeat=repeat,
            warmup=0,
            target=1.5,
        )
    ]
    if large:
        big = [pmo_exe, "report", "--month", "2026-10", "--data", str(LARGE_DIR), "--out", str(work)]
        start = time.perf_counter()
        subprocess.run(big, check=True, capture_output=True)
        seconds = time.perf_counter() - start
        cases.append(Result("pmo report, 2,000 projects", seconds, 60.0, "the 60 s target", target=1.0))
    return cases


def main() -> int:
    quick, repeat = quick_option(__doc__, full=5)
    results = []
    results.append(
        compare(
            "load+validate sample (24 projects)",
            lambda: data.load_portfolio(pmo.SAMPLE_DATA),
            lambda: read_all(pmo.SAMPLE_DATA),
            "pandas.read_csv, same files",
            repeat=repeat,
        )
    )
    if not quick:
        ensure_large()
        rows = sum(len(pd.read_csv(f, usecols=[0])) for f in LARGE_DIR.glob("*.csv"))
        print(f"large dataset: {LARGE_DIR} ({rows:,} rows)")
        results.append(
            compare(
                "load+validate 2,000 projects",
                lambda: data.load_portfolio(LARGE_DIR),
                lambda: read_all(LARGE_DIR),
                "pandas.read_csv, same files",
                repeat=repeat,
                target=3.0,
            )
        )
        shuffled = ensure_shuffled()
        results.append(
            compare(
                "load+validate 2,000 projects, shuffled",
                lambda: data.load_portfolio(shuffled),
                lambda: read_all(shuffled),
                "pandas.read_csv, same files",
                repeat=repeat,
            )
        )
        results.extend(cpm_cases(repeat))
        results.extend(evm_cases(repeat))
    results.extend(monte_carlo_cases(repeat))
    results.extend(report_cases(repeat, large=not quick))
    if not quick:
        tables = synth.generate(synth.LARGE)
        results.append(
            compare(
                "synth 2,000 projects (generate+write)",
                lambda: synth.write(synth.generate(synth.LARGE), HERE / "data" / "synth_tmp"),
                lambda: [t.to_csv(HERE / "data" / "floor.csv") for t in tables.values()],
                "DataFrame.to_csv of the same tables",
                repeat=1,
                warmup=0,
            )
        )
    return print_results(results)


if __name__ == "__main__":
    raise SystemExit(main())
