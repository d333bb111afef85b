"""A running app in a process of its own, driven over stdin for the multi-process tests.

``python -m tests.reliability.app_worker`` runs ``app.py`` with Streamlit's AppTest (the real
script, its cached resources living as long as this process) and answers one JSON command per
line of stdin with one ``RESULT {...}`` line on stdout:

- ``{"ask": "question"}`` -> the answer's text, cited and retrieved sources, refusal flag;
- ``{"upload": ["name.md", "text"]}`` -> adds a brief through the page's uploader;
- ``{"quit": true}``.
Settings come from the environment (``BRIEFS_...``) like the real app's.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from streamlit.testing.v1 import AppTest  # noqa: E402

from settings import REPO_ROOT  # noqa: E402


def _reply(payload: dict) -> None:
    sys.stdout.write("RESULT " + json.dumps(payload) + "\n")
    sys.stdout.flush()


def main() -> None:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=180).run()
    _reply({"ready": True, "exceptions": [str(e.value) for e in at.exception]})
    for line in sys.stdin:
        command = json.loads(line)
        if command.get("quit"):
            return
        if "ask" in command:
            at.chat_input(key="question").set_value(command["ask"]).run()
            turn = at.session_state["turns"][-1]
            answer = turn.answer
            _reply({
                "exceptions": [str(e.value) for e in at.exception],
                "error": turn.error,
                "text": answer.text if answer else None,
                "refused": answer.refused if answer else None,
                "cited": [c.source for c in answer.citations] if answer else [],
                "quotes": [c.quote for c in answer.citations] if answer else [],
                "retrieved": [h.chunk.source for h in answer.retrieved] if answer else [],
            })
        elif "upload" in command:
            name, text = command["upload"]
            at.file_uploader[0].set_value([(name, text.encode("utf-8"), "text/markdown")]).run()
            _reply({"exceptions": [str(e.value) for e in at.exception], "errors": [e.value for e in at.error],
                    "briefs": at.metric[0].value})


if __name__ == "__main__":
    main()
