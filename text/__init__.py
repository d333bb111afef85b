"""Text rules shared by ingest and answer: sentence spans and the folding used for matching.

The bottom layer, beside ``vectorstore.types``: it imports nothing of ours, so the splitter
(``ingest``), the keyword index (``retrieval``) and the answerer (``answer``) use one copy.
"""
