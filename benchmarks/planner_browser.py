"""The what-if planner in a real JupyterLab, driven by a real browser: how long from a key press to the redraw.

``python benchmarks/planner_browser.py`` (needs Debian's chromium at /usr/bin/chromium and the
``playwright`` package from the bench extra; no browser download). It:

1. copies ``notebooks/resource_planning.ipynb`` to a scratch folder (so JupyterLab's autosave
   never touches the repository) pointing at the sample data;
2. starts JupyterLab on it, opens it in headless Chromium and runs all cells;
3. focuses the planner's "Start later (weeks)" slider and presses the right arrow key, each time
   timing, in the page, from the key press to the frame after the project dates show the new
   delay (kernel round trip, recompute, redraw and paint);
4. does the same with levelling switched on.

Reports the median and worst over the moves against the 0.1 s limit.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHROMIUM = "/usr/bin/chromium"

WAIT_FOR = """(needle) => {
  // from the key press (its event time) to the frame after the dates table shows ``needle``
  window.__pressed = null;
  document.addEventListener('keydown', (e) => { window.__pressed = e.timeStamp; }, {once: true, capture: true});
  const box = [...document.querySelectorAll('.widget-html-content')]
      .find((e) => e.textContent.includes('Project finish dates'));
  window.__redrawn = new Promise((resolve) => {
    const finish = () => requestAnimationFrame(() => resolve(performance.now() - window.__pressed));
    const watch = new MutationObserver(() => {
      if (box.textContent.includes(needle)) { watch.disconnect(); finish(); }
    });
    watch.observe(box, {subtree: true, childList: true, characterData: true});
  });
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _scratch_notebook(folder: Path) -> Path:
    nb = json.loads((REPO / "notebooks" / "resource_planning.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    text = "".join(cell["source"])
    text = text.replace('"../datasets/sample"', json.dumps(str(REPO / "datasets" / "sample")))
    text = text.replace('"../datasets/sample/scenarios"', json.dumps(str(folder)))
    cell["source"] = text
    path = folder / "planner.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def _moves(page, slider, count: int, step_days: int = 7) -> list[float]:
    times = []
    for k in range(1, count + 1):
        page.evaluate(WAIT_FOR, f"+{step_days * k}")
        slider.press("ArrowRight")
        times.append(page.evaluate("() => window.__redrawn"))
    return times


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        print(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
        return 2
    folder = Path(tempfile.mkdtemp(prefix="pmo-planner-browser-"))
    _scratch_notebook(folder)
    port = _free_port()
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1")
    lab = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ServerApp.token=bench",
         f"--ServerApp.root_dir={folder}", "--ServerApp.disable_check_xsrf=True", "--allow-root"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1600, "height": 1200})
            page.goto(f"http://127.0.0.1:{port}/lab/tree/planner.ipynb?token=bench")
            page.wait_for_selector(".jp-Notebook", timeout=120_000)
            page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=120_000)
            page.click("div.lm-MenuBar-itemLabel:text-is('Run')")
            page.click("div.lm-Menu-itemLabel:text-is('Run All Cells')")
            page.wait_for_selector('.widget-html-content:has-text("Project finish dates")', timeout=120_000)
            slider = page.locator(".widget-slider", has_text="Start later (weeks)").locator(".noUi-handle")
            slider.click()
            first = _moves(page, slider, 8)
            for _ in range(8):  # back to the start
                slider.press("ArrowLeft")
            page.wait_for_timeout(1500)
            page.locator(".widget-checkbox", has_text="Level tasks").locator("input").check()
            page.wait_for_selector('.widget-html-content:has-text("Levelled finish")', timeout=30_000)
            slider.click()
            levelled = _moves(page, slider, 8)
            page.screenshot(path=str(folder / "planner.png"), full_page=False)
            browser.close()
    finally:
        lab.terminate()
        lab.wait(timeout=30)
    for label, times in (("key press to redraw", first), ("the same, levelling on", levelled)):
        print(f"{label}: median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms over {len(times)} moves "
              f"(limit 100 ms): {', '.join(f'{t:.0f}' for t in times)}")  # fmt: skip
    print(f"screenshot: {folder / 'planner.png'}")
    shutil.rmtree(folder / ".ipynb_checkpoints", ignore_errors=True)
    return 0 if statistics.median(first) <= 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
