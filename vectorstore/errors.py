"""Our own exception types; the edges (CLI, app) turn them into clear messages."""


class BriefsError(Exception):
    """Base class of every error this product raises on purpose."""


class ModelMismatchError(BriefsError):
    """The store was built with another embedding model than the one configured."""

    def __init__(self, store_model: str, store_dim: int, configured_model: str, configured_dim: int):
        self.store_model, self.configured_model = store_model, configured_model
        super().__init__(
            f"the store was built with embedding model '{store_model}' ({store_dim} dimensions) "
            f"but the configured model is '{configured_model}' ({configured_dim} dimensions); "
            f"use a different store path or collection, or set the embedding model back to '{store_model}'"
        )


class StoreUnavailableError(BriefsError):
    """The Chroma store cannot be opened or reached."""


class EmptyStoreError(BriefsError):
    """No brief has been ingested into the store yet."""


class LoadError(BriefsError):
    """A file cannot be turned into a document; the message says why, for a person."""

    def __init__(self, path: str, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")
