"""The app as a user meets it: time from `streamlit run` to the first answer, and peak memory.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.memory_startup [--sizes 10000,100000] [--questions 5]

For each benchmark store (``bench.scale_store``), starts ``streamlit run app.py`` (as ``make run``
does, on a free port, with a temporary data directory) and drives it with a headless Chromium
(Playwright with the system's ``/usr/bin/chromium``; the browser is started before the clock).
Each store is measured twice with the same data directory: a first start, which builds the BM25
index and saves it, and a restart, which loads the saved index (as every start after
``python -m ingest`` does: the ingest command saves the index it changed). Times, from the
moment the process is started:

- server up: Streamlit answers on ``/_stcore/health``;
- ready: the page shows an enabled question box (the embedding model is loaded, the store
  opened and the BM25 index built or loaded: the app does all three before it draws the chat);
- first answer: a question is typed and its answer is on the page.

A second table splits start-up into its parts, each timed in a fresh Python process the way
the app does them (imports, model load and warm-up, store open, BM25 index build, manifest
read, first answer), so a slow start can be traced to its cause.

Then ``--questions`` more questions are asked one after another (each timed from pressing
Enter to its answer on the page: the browser's view, Streamlit's rerun of the page included), and the app process's peak resident memory is read
from the kernel (``VmHWM`` in ``/proc/PID/status``) and from 20 Hz sampling of the process and
its children. Figures go to the ``startup`` section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import (CACHE, QUESTIONS, REPO_ROOT, Load, header, load_average,  # noqa: E402
                           markdown_table, percentile_ms, setup_environment, write_section)

setup_environment()

from bench.scale_store import BASE, store_for  # noqa: E402
from settings import Settings  # noqa: E402

log = logging.getLogger("bench.memory_startup")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
STARTUP_TARGET_S = 10.0  # at 10,000 passages
MEMORY_TARGET_GB = 2.0  # at 100,000 passages
# The last chat message is an answer once it holds text and no spinner ("Searching the briefs…").
_ANSWERED = """(count) => {
  const messages = document.querySelectorAll('[data-testid="stChatMessage"]');
  if (messages.length < 2 * count) return false;
  const last = messages[messages.length - 1];
  if (last.querySelector('[data-testid="stSpinner"]')) return false;
  return Array.from(last.querySelectorAll('[data-testid="stMarkdownContainer"]'))
    .some((m) => m.innerText.trim().length > 20);
}"""
_INPUT = '[data-testid="stChatInput"] textarea'


@dataclass
class Run:
    passages: int
    keyword_index: str  # "built" (first start) or "loaded" (saved by an earlier start or by ingest)
    server_s: float = float("nan")
    ready_s: float = float("nan")
    first_answer_s: float = float("nan")
    later_answers: list[float] = field(default_factory=list)
    peak_rss_gb: float = float("nan")  # VmHWM of the app process
    sampled_peak_gb: float = float("nan")  # process and children, sampled
    final_rss_gb: float = float("nan")


class _Sampler(threading.Thread):
    """Samples the resident memory of a process tree until stopped; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        import psutil

        self.process = psutil.Process(pid)
        self.interval, self.peak, self.last = interval, 0, 0
        self._halt = threading.Event()

    def run(self) -> None:
        import psutil

        while not self._halt.is_set():
            try:
                rss = self.process.memory_info().rss + sum(c.memory_info().rss for c in self.process.children(True))
            except psutil.Error:
                break
            self.last, self.peak = rss, max(self.peak, rss)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _vm_hwm_gb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024**2
    return float("nan")


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"streamlit did not answer on {url} within {timeout:.0f} s")


def _ask(page, question: str, count: int, timeout_ms: float) -> float:
    """Ask once the question box is enabled; seconds from pressing Enter to the answer on the page."""
    box = page.locator(f"{_INPUT}:not([disabled])")
    box.wait_for(timeout=timeout_ms)
    box.fill(question)
    began = time.perf_counter()
    box.press("Enter")
    page.wait_for_function(_ANSWERED, arg=count, timeout=timeout_ms, polling=20)
    return time.perf_counter() - began


def measure(browser, store: Path, questions: list[str], *, data_dir: Path, timeout: float, log_dir: Path) -> Run:
    from system import System

    passages = System(Settings()).with_store(store).store.count()
    run = Run(passages, "loaded" if (data_dir / "keyword-index").is_dir() else "built")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFS_")}
    env.update(HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", BRIEFS_STORE__PATH=str(store),
               BRIEFS_DATA_DIR=str(data_dir))
    command = [str(Path(sys.executable).with_name("streamlit")), "run", "app.py", "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    server_log = (log_dir / f"streamlit-{passages}-{run.keyword_index}.log").open("w", encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT)
    sampler = _Sampler(process.pid)
    sampler.start()
    try:
        _wait_healthy(url, process, timeout)
        run.server_s = time.perf_counter() - began
        page.goto(url, timeout=timeout * 1000)
        page.locator(f"{_INPUT}:not([disabled])").wait_for(timeout=timeout * 1000)
        run.ready_s = time.perf_counter() - began
        _ask(page, questions[0], 1, timeout * 1000)
        run.first_answer_s = time.perf_counter() - began
        for number, question in enumerate(questions[1:], 2):
            run.later_answers.append(_ask(page, question, number, timeout * 1000))
        run.peak_rss_gb = _vm_hwm_gb(process.pid)
    finally:
        sampler.stop()
        run.sampled_peak_gb, run.final_rss_gb = sampler.peak / 1024**3, sampler.last / 1024**3
        context.close()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        server_log.close()
    return run


_BREAKDOWN = """
import json, os, sys, time
t0 = time.perf_counter()
marks = {}
def mark(name):
    global t0
    now = time.perf_counter(); marks[name] = now - t0; t0 = now
import streamlit, pydantic  # noqa
mark("import streamlit")
import torch, sentence_transformers, transformers  # noqa
mark("import torch + sentence-transformers")
import chromadb, langchain_core, bm25s  # noqa
mark("import chromadb + langchain-core + bm25s")
from settings import Settings
from system import System
mark("import our modules")
system = System(Settings())
system.embedder.encode(["warm-up"])
mark("load + warm the embedding model")
store = system.store
mark("open the Chroma store")
system.retriever.keyword_index()
mark("load the saved BM25 index (read passage ids + load)")
assistant = system.assistant
entries = store.manifest()
mark("read the manifest (sidebar)")
assistant.ask(sys.argv[1])
mark("first answer")
print(json.dumps(marks))
"""


def breakdown(store: Path, question: str, data_dir: Path) -> dict[str, float]:
    """Seconds of each start-up step, in a fresh process (as the app's first run does them)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFS_")}
    env.update(HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", BRIEFS_STORE__PATH=str(store),
               BRIEFS_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO_ROOT))
    done = subprocess.run([sys.executable, "-c", _BREAKDOWN, question], cwd=REPO_ROOT, env=env, check=True,
                          capture_output=True, text=True)
    import json

    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory_startup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help=f"stores to measure: '{BASE}' (~2,100 passages) or passage counts")
    parser.add_argument("--questions", type=int, default=5, help="questions asked after the first one")
    parser.add_argument("--timeout", type=float, default=300, help="seconds allowed for each step")
    parser.add_argument("--quick", action="store_true", help="base store, 1 more question; never written")
    parser.add_argument("--no-write", dest="write", action="store_false", help="print only; leave docs/benchmarks.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.quick:
        args.sizes, args.questions, args.write = BASE, 1, False
    with QUESTIONS.open(encoding="utf-8", newline="") as handle:
        questions = [row["question"] for row in csv.DictReader(handle)][: args.questions + 1]
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    stores = [store_for(s.strip()) for s in args.sizes.split(",") if s.strip()]  # built before any clock
    log_dir = CACHE / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    load = Load(load_average(), float("nan"))
    runs = []
    data_dirs = [Path(tempfile.mkdtemp(prefix="bench-app-", dir=CACHE)) for _ in stores]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                for store, data_dir in zip(stores, data_dirs):
                    for _ in ("first start", "restart"):
                        runs.append(measure(browser, store, questions, data_dir=data_dir, timeout=args.timeout,
                                            log_dir=log_dir))
                        r = runs[-1]
                        log.warning("%d passages, keyword index %s: ready %.1f s, first answer %.1f s, "
                                    "peak RSS %.2f GB", r.passages, r.keyword_index, r.ready_s, r.first_answer_s,
                                    r.peak_rss_gb)
            finally:
                browser.close()
        steps = [breakdown(store, questions[0], data_dir) for store, data_dir in zip(stores, data_dirs)]
    finally:
        for data_dir in data_dirs:
            shutil.rmtree(data_dir, ignore_errors=True)
    load = Load(load.before, load_average())

    rows = []
    for r in runs:
        start_target = f"<= {STARTUP_TARGET_S:.0f} s: {'yes' if r.first_answer_s <= STARTUP_TARGET_S else '**no**'}" \
            if abs(r.passages - 10_000) <= 500 else ""
        memory_target = f"<= {MEMORY_TARGET_GB:.0f} GB: {'yes' if r.peak_rss_gb <= MEMORY_TARGET_GB else '**no**'}" \
            if abs(r.passages - 100_000) <= 5_000 else ""
        rows.append([f"{r.passages:,}", r.keyword_index, r.server_s, r.ready_s, r.first_answer_s,
                     percentile_ms(r.later_answers, 50) if r.later_answers else float("nan"),
                     r.peak_rss_gb, r.sampled_peak_gb, start_target, memory_target])
    table = markdown_table(["passages", "BM25 index", "server up s", "ready s", "first answer s", "later answers p50 ms (Enter to answer shown)",
                            "peak RSS GB (VmHWM)", "peak RSS GB (sampled, with children)", "start-up target",
                            "memory target"], rows)
    names = list(steps[0])
    step_rows = [[name, *[s.get(name, float("nan")) for s in steps]] for name in names]
    step_rows.append(["total", *[sum(s.values()) for s in steps]])
    step_table = markdown_table(["start-up step (fresh process, seconds)",
                                 *[f"{r.passages:,} passages" for r in runs if r.keyword_index == "loaded"]],
                                step_rows)
    body = (f"{header(load)}- `streamlit run app.py` (as `make run`), headless Chromium via Playwright; clock "
            f"starts when the process is started; {args.questions} more questions after the first; store files "
            "already in the OS page cache (a cold disk adds its read time)\n\n" + table +
            "\n\nWhere start-up time goes (the same steps outside Streamlit, one fresh process per store):\n\n" +
            step_table + "\n")
    print(body)
    if args.write:
        write_section("startup", "### Start-up and memory of the app\n\n" + body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
