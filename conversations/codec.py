"""Turns as JSON and back, for the conversation store.

Decoding is driven by the dataclasses' own type hints, so a field added to ``Answer`` or
``Citation`` later is kept without a change here; fields a newer version wrote and this one
does not know are dropped, and fields an older version did not write take their defaults.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache
from typing import Any

from conversations.turn import ChatTurn


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def turn_to_json(turn: ChatTurn) -> str:
    """The whole turn (question, filters, answer with its citations and retrieved passages) as JSON."""
    return json.dumps(_plain(turn), ensure_ascii=False)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value)) if args else tuple(value)
    if origin is dict:
        key_kind, value_kind = typing.get_args(kind) or (Any, Any)
        return {_decode(key_kind, k): _decode(value_kind, v) for k, v in value.items()}
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _dataclass(kind, value)
    if kind is int and isinstance(value, str):
        return int(value)
    return value


def _dataclass(cls: type, data: dict[str, Any]) -> Any:
    if not isinstance(data, dict):
        raise ValueError(f"expected an object for {cls.__name__}, got {type(data).__name__}")
    hints = _hints(cls)
    known = {f.name for f in dataclasses.fields(cls) if f.init}
    return cls(**{name: _decode(hints.get(name, Any), value) for name, value in data.items() if name in known})


def turn_from_json(text: str) -> ChatTurn:
    """A turn written by ``turn_to_json`` (of this or another version). Raises ``ValueError`` on bad JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"a stored turn is not valid JSON: {exc}") from exc
    return _dataclass(ChatTurn, data)
