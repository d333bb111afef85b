"""A real OpenAI-compatible server for the slow tests: ``transformers serve`` over the bundled model.

``transformers serve`` cannot read the bundled GGUF file itself ("config.architectures" is
None), so the model is written once per session as a Hugging Face folder under a temporary
directory. The server binds 127.0.0.1 on a port the OS picks and is stopped at the end.

``FaultyProxy`` sits between a client and that server and misbehaves on purpose: it closes the
connection after a number of response bytes (a server that dies mid-answer) or holds the response
back (a server that stops responding), so those failures are met over real sockets.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from answer.local_model import parse_local_spec


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def convert_bundled_model(folder: Path) -> Path:
    """The bundled GGUF model saved as a Hugging Face folder (config, tokenizer, safetensors) in ``folder``."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    spec = parse_local_spec("local")
    tokenizer = AutoTokenizer.from_pretrained(str(spec.folder), gguf_file=spec.gguf_file)
    loaded = AutoModelForCausalLM.from_pretrained(str(spec.folder), gguf_file=spec.gguf_file)
    # A model read from GGUF counts as quantized and refuses save_pretrained: copy its (de-quantized)
    # weights into a plain model of the same configuration.
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    model = AutoModelForCausalLM.from_config(config)
    model.load_state_dict(loaded.state_dict())
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


class TransformersServer:
    """``transformers serve FOLDER`` on 127.0.0.1:<free port>, started and stopped by the test session."""

    def __init__(self, model_folder: Path, log_path: Path) -> None:
        self.model_folder, self.log_path = model_folder, log_path
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, *, timeout_s: float = 300.0) -> None:
        executable = Path(sys.executable).with_name("transformers")
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(executable), "serve", str(self.model_folder), "--host", "127.0.0.1", "--port", str(self.port),
             "--device", "cpu", "--log-level", "warning"],
            stdout=self._log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"transformers serve exited with {self.process.returncode}: "
                                   f"{self.log_path.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"transformers serve did not answer /health within {timeout_s:.0f} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()


class FaultyProxy:
    """A TCP proxy to ``upstream_port`` that cuts responses after ``cut_after`` bytes, or stalls them.

    ``mode="cut"``: the response is relayed until ``cut_after`` bytes have passed, then both
    sockets close (a server that dies mid-answer). ``mode="stall"``: the request is relayed but no
    response byte comes back until the client gives up (a server that stops responding).
    """

    def __init__(self, upstream_port: int, *, mode: str, cut_after: int = 0) -> None:
        if mode not in {"cut", "stall"}:
            raise ValueError(f"mode ({mode!r}) must be 'cut' or 'stall'")
        self.upstream_port, self.mode, self.cut_after = upstream_port, mode, cut_after
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.port = self.server.getsockname()[1]
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        threading.Thread(target=self._pipe, args=(client, upstream, None), daemon=True).start()
        if self.mode == "stall":
            self._stop.wait()
        else:
            self._pipe(upstream, client, self.cut_after)
        for s in (client, upstream):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket, limit: int | None) -> None:
        passed = 0
        try:
            while data := source.recv(4096):
                if limit is not None and passed + len(data) >= limit:
                    sink.sendall(data[:max(limit - passed, 0)])
                    return
                sink.sendall(data)
                passed += len(data)
        except OSError:
            return

    def close(self) -> None:
        self._stop.set()
        self.server.close()
