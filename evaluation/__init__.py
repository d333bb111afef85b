"""Batch evaluation: a question file in; answers, citations, metrics and a report out.

``questions`` reads JSONL/CSV (and the chunking benchmark's CSV); ``runner`` asks the assistant
(``assistant`` adapts ``answer.assistant``), resumes and writes the run directory; ``scoring``
and ``metrics`` score each question; ``summary`` aggregates; ``report``/``plots`` draw the HTML;
``compare`` diffs two runs; ``judge`` is the optional LLM faithfulness judge. CLI: ``python -m evaluation``.
"""
