"""pmo app in a real browser: how soon each page paints, and key press to paint in the planner.

``python benchmarks/app_browser.py [--large] [--users 2 5]`` (``make bench-app``; needs Debian's
chromium at /usr/bin/chromium). For the sample (and, with ``--large``, the 2,000-project dataset
that ``benchmarks/run.py`` generates) it starts ``pmo app`` on a free port and, in headless
Chromium:

1. opens each page three times in a fresh browser context and reads, in the page, the first
   contentful paint (the browser's own ``first-contentful-paint`` entry) and the time until the
   page's content is on screen (the planner's dates, the upload button, the selection, a report);
2. presses the right arrow on the planner's "Start later (weeks)" slider eight times, timing in the
   page from the key press to the frame after the dates table shows the new delay;
3. repeats 1 and 2 for 2 and 5 people at once (each its own browser process and context).

Targets (issue 18): key press to paint < 100 ms on the sample, < 1.5 s on 2,000 projects; the same
within 2x for 2 and 5 people at once.

Measured on 2 cores (2026-12-03; the browsers share the two cores with the server):
sample: first contentful paint 200-380 ms, content on screen 1.0-1.3 s (report library 2.3 s, not
run in advance); key press to paint median 78 ms, worst 90 ms (met); 2 people 202 ms (2.6x), 5
people 422 ms (5.4x): missed. 2,000 projects: content on screen 1.1-1.3 s (report library 4.6 s);
key press to paint median 1.60 s (missed, the planner's own recompute is 1.3 s); 2 people 3.8 s
(2.0x); 5 people at once: the pages did not load within 30 s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from planner_browser import WAIT_FOR, _free_port  # noqa: E402  the same key press to paint measure

CHROMIUM = "/usr/bin/chromium"
PMO = Path(sys.executable).with_name("pmo")
PAGES = {
    "planner.ipynb": '.widget-html-content:has-text("Project finish dates")',
    "check_data.ipynb": ".widget-upload",
    "selection.ipynb": '.widget-slider:has-text("Budget")',  # the whole page is drawn at once
    "reports.ipynb": "text=Run a report",
}


def start(data: Path | None, pool: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    args = [str(PMO), "app", "--port", str(port), "--pool", str(pool), "--reports", str(HERE / "data" / "app-reports")]
    if data:
        args += ["--data", str(data)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(240):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("pmo app did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def visit(base: str, name: str, timeout_ms: int) -> tuple[float, float]:
    """(first contentful paint, content on screen) in ms for one fresh visit of a page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/voila/render/{name}")
        page.wait_for_selector(PAGES[name], timeout=timeout_ms)
        content = page.evaluate("() => performance.now()")
        fcp = page.evaluate("() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime")
        browser.close()
    return float(fcp or "nan"), float(content)


def presses(base: str, count: int, timeout_ms: int) -> list[float]:
    """Key press to paint [ms] for ``count`` moves of the planner's Start later slider."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/voila/render/planner.ipynb")
        page.wait_for_selector(PAGES["planner.ipynb"], timeout=timeout_ms)
        slider = page.locator(".widget-slider", has_text="Start later (weeks)").locator(".noUi-handle")
        slider.click()
        times = []
        for k in range(1, count + 1):
            page.evaluate(WAIT_FOR, f"+{7 * k}")
            slider.press("ArrowRight")
            times.append(page.evaluate("() => window.__redrawn"))
        browser.close()
    return times


def person(args) -> dict:
    base, timeout_ms = args
    fcp, content = visit(base, "planner.ipynb", timeout_ms)
    return {"fcp": fcp, "content": content, "press": statistics.median(presses(base, 6, timeout_ms))}


def median(values) -> float:
    return statistics.median(values)


def run(label: str, data: Path | None, users: list[int], target_ms: float) -> bool:
    timeout_ms = 600_000 if data else 90_000
    process, base = start(data, pool=max(users) if users else 1)
    ok = True
    try:
        time.sleep(20 if not data else 90)  # the pages run in advance (Voilà's pool) before the first visit
        print(f"\n{label}")
        for name in PAGES:
            seen = []
            for _ in range(3):
                seen.append(visit(base, name, timeout_ms))
                time.sleep(4 if not data else 40)  # the pool refills
            print(f"  {name:<18} first paint {median(s[0] for s in seen):6.0f} ms, content on screen "
                  f"{median(s[1] for s in seen):6.0f} ms (median of 3)")  # fmt: skip
        alone = presses(base, 8, timeout_ms)
        verdict = "ok" if median(alone) < target_ms else "OVER TARGET"
        ok &= median(alone) < target_ms
        print(f"  key press to paint: median {median(alone):.0f} ms, worst {max(alone):.0f} ms over 8 moves "
              f"(target < {target_ms:.0f} ms: {verdict})")  # fmt: skip
        for n in users:
            time.sleep(30 if not data else 120)
            with multiprocessing.get_context("spawn").Pool(n) as pool:
                results = pool.map(person, [(base, timeout_ms)] * n)
            press = median(r["press"] for r in results)
            within = press <= 2 * median(alone)
            ok &= within
            print(f"  {n} people at once: first paint {median(r['fcp'] for r in results):.0f} ms, content "
                  f"{median(r['content'] for r in results):.0f} ms, key press to paint {press:.0f} ms "
                  f"({press / median(alone):.1f}x alone; target within 2x: {'ok' if within else 'OVER'})")  # fmt: skip
    finally:
        stop(process)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also the 2,000-project dataset")
    parser.add_argument("--users", type=int, nargs="*", default=[2, 5])
    parser.add_argument("--no-sample", action="store_true", help="only the 2,000-project dataset")
    options = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
        return 2
    ok = True if options.no_sample else run("sample (24 projects)", None, options.users, 100)
    if options.large:
        from run import LARGE_DIR, ensure_large

        ensure_large()
        ok &= run("2,000 projects", LARGE_DIR, options.users, 1500)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
