"""What every benchmark script shares: the machine's description, percentiles, and the report file.

Each script owns one section of ``docs/benchmarks.md``, fenced by ``<!-- bench:NAME -->`` and
``<!-- /bench:NAME -->``; rerunning a script replaces its own section and leaves the rest of the
file (other sections, hand-written notes) as it is.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
REPORT = REPO_ROOT / "docs" / "benchmarks.md"
CACHE = REPO_ROOT / ".cache" / "bench"
CORPORA = REPO_ROOT.parent / "shared" / "bench" / "chunking" / "corpora"
QUESTIONS = REPO_ROOT.parent / "shared" / "bench" / "chunking" / "questions_dev.csv"

# Environment variables that change the figures, recorded in the command line of each table.
_RECORDED_ENV = ("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# Above this one-minute load average per core the machine was busy with other work.
_BUSY_LOAD_PER_CORE = 0.5


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return float("nan")


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def machine() -> str:
    """One line: CPU, cores, memory, Python, torch (threads, bf16), chromadb."""
    import chromadb
    import torch

    from vectorstore.embedder import bf16_supported

    wait = os.environ.get("OMP_WAIT_POLICY") or "unset (libgomp default: idle threads spin)"
    return (f"{cpu_model()}, {cores()} cores, {memory_gib():.0f} GiB RAM; Python {platform.python_version()}, "
            f"torch {torch.__version__.split('+')[0]} ({torch.get_num_threads()} threads, "
            f"bf16 {'yes' if bf16_supported() else 'no'}, OMP_WAIT_POLICY {wait}), chromadb {chromadb.__version__}")


@dataclass(frozen=True)
class Load:
    """The machine's one-minute load average before and after a measurement."""

    before: float
    after: float

    @property
    def busy(self) -> bool:
        # The load after includes the benchmark's own work, so only the load before tells of other work.
        return self.before > _BUSY_LOAD_PER_CORE * cores()

    def label(self) -> str:
        state = "**measured under load** (other work was running)" if self.busy else "quiet machine"
        return (f"{state}: 1-minute load average {self.before:.1f} before, {self.after:.1f} after (the benchmark's "
                f"own work included), on {cores()} cores")


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def percentile_ms(seconds: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(seconds, dtype=float), q) * 1000) if len(seconds) else float("nan")


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(value: object) -> str:
        if isinstance(value, float):
            return "n/a" if value != value else f"{value:,.2f}" if abs(value) < 10 else f"{value:,.0f}"
        return str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def command_line() -> str:
    """The command that produced a figure, as it can be typed again from the repository root."""
    script = Path(sys.argv[0])
    module = ".".join(script.resolve().relative_to(REPO_ROOT).with_suffix("").parts) if script.suffix == ".py" \
        and script.resolve().is_relative_to(REPO_ROOT) else str(script)
    if module.endswith(".__main__"):
        module = module[: -len(".__main__")]
    settings = [f"{k}={shlex.quote(v)}" for k, v in sorted(os.environ.items())
                if k in _RECORDED_ENV or k.startswith("BRIEFS_")]
    return " ".join(["HF_HUB_OFFLINE=1", *settings, ".venv/bin/python -m", module, *map(shlex.quote, sys.argv[1:])])


def section_suffix() -> str:
    """Figures taken under another thread-wait policy go to their own sections, beside the default ones."""
    policy = os.environ.get("OMP_WAIT_POLICY", "").strip().lower()
    return f"-omp-{policy}" if policy else ""


def header(load: Load, *, command: str | None = None) -> str:
    """The lines every section starts with: when, on what machine, under what load, by which command."""
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (f"- Command: `{command or command_line()}`\n- Machine: {machine()}\n"
            f"- Measured {when}, {load.label()}\n")


def write_section(name: str, body: str, *, path: Path = REPORT) -> None:
    """Replace (or append) the section ``name`` (plus ``section_suffix()``) of the report with ``body``."""
    if section_suffix():
        name += section_suffix()
        title, _, rest = body.strip().partition("\n")
        if title.startswith("#"):
            body = f"{title} (OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']})\n{rest}"
    if not re.fullmatch(r"[a-z0-9-]+", name):
        raise ValueError(f"section name {name!r} must be lowercase letters, digits and dashes")
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def setup_environment() -> None:
    """Offline model loading and quiet tokenizers, as the app and the CLI run."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
