"""LangChain's own standard suite for retrievers (``langchain-tests``), run as it ships.

The product's retriever, built as the app builds it (``system.System``), over the sample
briefs in a real temporary Chroma store embedded with the real bundled model. No test of the
suite is overridden or skipped.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_tests.integration_tests import RetrieversIntegrationTests

from retrieval.hybrid import HybridRetriever
from settings import Settings
from system import System

pytestmark = pytest.mark.slow  # the real embedding model


class TestHybridRetrieverStandard(RetrieversIntegrationTests):
    _system: System | None = None

    @pytest.fixture(autouse=True, scope="class")
    def _sample_system(self, request, sample_store, embedder, tmp_path_factory) -> None:
        """The System over the session's sample-brief store (two briefs, real model)."""
        path = sample_store.client.get_settings().persist_directory
        settings = Settings(store={"path": path}, data_dir=tmp_path_factory.mktemp("standard-data"))
        request.cls._system = System(settings, embedder=embedder)

    @property
    def retriever_constructor(self) -> type[HybridRetriever]:
        return HybridRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        assert self._system is not None
        built = self._system.retriever
        return {"dense": built.dense, "keyword": built.keyword, "settings": built.settings}

    @property
    def retriever_query_example(self) -> str:
        return "What did Elbridge Colby advise South Korea?"
