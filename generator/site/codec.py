"""Frozen dataclasses to JSON and back, led by their type hints. Pure.

What a field's hint says is how its value is written and how it is read back: a dataclass as the list
of its fields, a tuple as a list, a date as its ISO text with its zone. Reading checks each value
against its hint as it goes, so that a damaged cache raises TypeError (or ValueError) instead of
giving an article with a list where its tags should be. Values whose hint is `Any` (front matter's
`extra`, as YAML gave them) carry tags of their own: `{"$dt": ...}`, `{"$tuple": [...]}`, `{"$map": {...}}`.

Each codec is made once per type, from its hints: reading 10,000 cached stories is then one call per value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from generator.model import FrozenMap

_T = TypeVar("_T")
Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]


def _wrong(value: Any, hint: Any) -> TypeError:
    """Say that a value read back is not of the type its field declares."""
    return TypeError(f"a cached {type(value).__name__} where {hint} belongs")


def _encode_moment(value: dt.datetime) -> list[Any]:
    """Write a date with the name of its zone (an offset alone would lose summer time) and its fold."""
    zone = value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else None
    return [value.isoformat(), zone, value.fold]


def _decode_moment(value: Any) -> dt.datetime:
    """Read a date written by `_encode_moment`."""
    if not isinstance(value, list) or len(value) != 3 or not isinstance(value[0], str):
        raise _wrong(value, dt.datetime)
    moment = dt.datetime.fromisoformat(value[0])
    if value[1]:
        moment = moment.replace(tzinfo=ZoneInfo(value[1]), fold=value[2])
    return moment


def _encode_any(value: Any) -> Any:
    """Write a value of no declared type (as YAML gives them), tagging what JSON cannot tell apart."""
    if isinstance(value, dt.datetime):
        return {"$dt": _encode_moment(value)}
    if isinstance(value, tuple | list):
        return {"$tuple": [_encode_any(item) for item in value]}
    if isinstance(value, Mapping):
        return {"$map": {key: _encode_any(item) for key, item in value.items()}}
    return value


def _decode_any(value: Any) -> Any:
    """Read a value written by `_encode_any`."""
    if not isinstance(value, dict):
        return value
    if "$dt" in value:
        return _decode_moment(value["$dt"])
    if "$tuple" in value:
        return tuple(_decode_any(item) for item in value["$tuple"])
    return FrozenMap({key: _decode_any(item) for key, item in value["$map"].items()})


def _same(value: Any) -> Any:
    """Write a value JSON holds as it is."""
    return value


def _exactly(kind: type, hint: Any) -> Decode:
    """Read a value JSON holds as it is, checking its type (an int is no bool, nor a bool an int)."""

    def read(value: Any) -> Any:
        if type(value) is not kind:
            raise _wrong(value, hint)
        return value

    return read


def _optional(inner: tuple[Encode, Decode]) -> tuple[Encode, Decode]:
    """Write and read a value that may be None."""
    encode, decode = inner
    return (lambda value: None if value is None else encode(value)), (
        lambda value: None if value is None else decode(value)
    )


def _tuple_of(inner: tuple[Encode, Decode], hint: Any) -> tuple[Encode, Decode]:
    """Write and read a tuple of any length, as a list."""
    encode, decode = inner

    def read(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _wrong(value, hint)
        return tuple(map(decode, value))

    return (lambda value: [encode(item) for item in value]), read


def _fixed_tuple(items: list[tuple[Encode, Decode]], hint: Any) -> tuple[Encode, Decode]:
    """Write and read a tuple of a fixed length and types, as a list."""

    def write(value: tuple[Any, ...]) -> list[Any]:
        return [encode(item) for (encode, _), item in zip(items, value, strict=True)]

    def read(value: Any) -> tuple[Any, ...]:
        if type(value) is not list or len(value) != len(items):
            raise _wrong(value, hint)
        return tuple(decode(item) for (_, decode), item in zip(items, value, strict=True))

    return write, read


def _dataclass(kind: type) -> tuple[Encode, Decode]:
    """Write and read a dataclass as the list of its fields' values, in their order."""
    hints = typing.get_type_hints(kind)
    names = [f.name for f in dataclasses.fields(kind)]
    codecs = [codec(hints[name]) for name in names]

    def write(value: Any) -> list[Any]:
        return [encode(getattr(value, name)) for name, (encode, _) in zip(names, codecs, strict=True)]

    def read(value: Any) -> Any:
        if type(value) is not list or len(value) != len(codecs):
            raise _wrong(value, kind.__name__)
        return kind(*[decode(item) for (_, decode), item in zip(codecs, value, strict=True)])

    return write, read


def _literal(options: tuple[Any, ...], hint: Any) -> Decode:
    """Read one of a few values (of their very types: `True` is not `1`)."""

    def read(value: Any) -> Any:
        if not any(type(value) is type(option) and value == option for option in options):
            raise _wrong(value, hint)
        return value

    return read


def _union(members: tuple[Any, ...], hint: Any) -> tuple[Encode, Decode]:
    """Write and read `X | None`, or a union of values JSON tells apart (`bool | None`, `str | int`)."""
    others = tuple(m for m in members if m is not type(None))
    if len(others) == 1:
        return _optional(codec(others[0]))
    if not all(m in (str, int, bool, float) for m in others):
        raise TypeError(f"no codec for {hint}: JSON cannot tell its members apart")
    allowed = frozenset(members)

    def read(value: Any) -> Any:
        if type(value) not in allowed:
            raise _wrong(value, hint)
        return value

    return _same, read


def _mapping(values: tuple[Encode, Decode], hint: Any) -> tuple[Encode, Decode]:
    """Write and read a read-only mapping with text keys, as an object."""
    encode, decode = values

    def read(value: Any) -> FrozenMap:
        if type(value) is not dict:
            raise _wrong(value, hint)
        return FrozenMap({key: decode(item) for key, item in value.items()})

    return (lambda value: {key: encode(item) for key, item in value.items()}), read


@cache
def codec(hint: Any) -> tuple[Encode, Decode]:
    """Make the writer and the reader of values of a type, from its hint (made once per type)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return _encode_any, _decode_any
    if hint is dt.datetime:
        return _encode_moment, _decode_moment
    if hint in (str, int, bool, float, type(None), None):
        return _same, _exactly(type(None) if hint is None else hint, hint)
    if origin is Literal:
        return _same, _literal(args, hint)
    if origin in (typing.Union, types.UnionType):
        return _union(args, hint)
    if origin is tuple and args[-1] is Ellipsis:
        return _tuple_of(codec(args[0]), hint)
    if origin is tuple:
        return _fixed_tuple([codec(arg) for arg in args], hint)
    if origin is Mapping and args[0] is str:
        return _mapping(codec(args[1]), hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass(hint)
    raise TypeError(f"no codec for {hint}")


def to_json(kind: type[_T], value: _T) -> Any:
    """Describe a value of a type in JSON terms."""
    hint: Any = kind  # a class is hashable, which mypy does not see of type[_T]
    return codec(hint)[0](value)


def from_json(kind: type[_T], data: Any) -> _T:
    """Rebuild a value of a type from `to_json`; raise TypeError or ValueError when the data is not one."""
    hint: Any = kind
    value: _T = codec(hint)[1](data)
    return value
