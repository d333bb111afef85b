"""vectorstore.embedder and text.sentences: the ingest loads neither scikit-learn nor pandas, and
both stay importable and work when something does need them. Each check runs in a fresh
interpreter, where nothing has imported them yet."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from settings import REPO_ROOT


def _run(program: str) -> dict:
    out = subprocess.run([sys.executable, "-c", program], cwd=REPO_ROOT, capture_output=True, text=True,
                         check=True, timeout=300, env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_sentence_splitter_loads_nltk_without_scikit_learn():
    result = _run("""
import json, sys
from text.sentences import sentence_spans
spans = sentence_spans("The U.S. Army left. It came back.")
loaded = sorted(m for m in ("sklearn", "pandas") if m in sys.modules)
import sklearn.preprocessing  # still importable afterwards
print(json.dumps({"spans": spans, "loaded": loaded, "real": sys.modules["sklearn"] is not None}))
""")
    assert result == {"spans": [[0, 19], [20, 33]], "loaded": [], "real": True}


@pytest.mark.slow
def test_embedder_imports_sentence_transformers_without_scikit_learn():
    result = _run("""
import json, sys
import numpy as np
from vectorstore.embedder import _deferred_imports
with _deferred_imports():
    import sentence_transformers
loaded = sorted(m for m in ("sklearn", "sklearn.metrics", "pandas") if m in sys.modules)
from sentence_transformers.util import similarity
distances = similarity.pairwise_distances(np.array([[0.0, 0.0], [1.0, 2.0]]), metric="manhattan").tolist()
import sklearn.metrics
print(json.dumps({"loaded": loaded, "distances": distances,
                  "real": type(sys.modules["sklearn.metrics"]).__name__ == "module"
                          and sklearn.metrics.pairwise_distances.__module__.startswith("sklearn")}))
""")
    assert result == {"loaded": [], "distances": [[0.0, 3.0], [3.0, 0.0]], "real": True}


def test_deferred_module_forwards_and_steps_aside():
    result = _run("""
import json, sys
from vectorstore.embedder import _deferred_imports
with _deferred_imports({"json.decoder": ("JSONDecoder",), "colorsys": ("rgb_to_hsv",)}):
    from colorsys import rgb_to_hsv
    import colorsys
    during = type(sys.modules["colorsys"]).__name__
    probed = hasattr(colorsys, "__path__")  # a probe of a dunder imports nothing
    still = type(sys.modules.get("colorsys")).__name__
after = "colorsys" in sys.modules
value = rgb_to_hsv(1.0, 0.0, 0.0)  # the forwarder imports the real module on its first call
import colorsys as real
print(json.dumps({"during": during, "probed": probed, "still": still, "after": after, "value": list(value),
                  "real": type(real).__name__, "json": type(sys.modules["json.decoder"]).__name__}))
""")
    assert result == {"during": "_DeferredModule", "probed": False, "still": "_DeferredModule", "after": False,
                      "value": [0.0, 1.0, 1.0], "real": "module", "json": "module"}
