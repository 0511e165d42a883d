"""The characters an OpenCC config can change, read from the installed OpenCC dictionaries.

OpenCC converts by matching the keys of its dictionaries, and no key holds a newline. So a line
holding no character of a key that maps to something else comes out of ``convert`` unchanged,
and need not be converted at all. Converting one character at a time does not find those keys:
``t2s`` leaves 沈 alone but turns 沈默 into 沉默, and keeps 覆 but not in 覆蓋 (a phrase entry).
So the keys are read from the dictionaries themselves.

An ``.ocd2`` dictionary is a header (``OPENCC_MARISA_0.2.5``), a marisa trie of the keys, and
the values of each key (indexed by the key's id in the trie): entry count, byte size of the
values, the values as NUL-terminated UTF-8, then per entry its value count and each value's
byte size (two bytes each, little-endian).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import opencc

_HEADER = b"OPENCC_MARISA_0.2.5"


@lru_cache(maxsize=16)
def conversion_triggers(config: str) -> frozenset[str] | None:
    """Characters one of which every changing key of ``config``'s dictionaries holds.

    A text without any of them comes out of OpenCC ``config`` unchanged. None when the
    dictionaries cannot be read (another OpenCC build or dictionary format): convert everything.
    """
    try:
        entries = [entry for file in _dictionary_files(config) for entry in _read_ocd2(file)]
    except (OSError, ValueError, KeyError, TypeError, ImportError, struct.error):
        return None
    # OpenCC writes a key's first value; the others are alternatives it never picks.
    changing = [(key, values[0]) for key, values in entries if values and values[0] != key]
    triggers = {key for key, _ in changing if len(key) == 1}
    for key, value in changing:
        if triggers.isdisjoint(key):
            triggers.add(_first_changed(key, value))
    return frozenset(triggers)


def _first_changed(key: str, value: str) -> str:
    """The first character of ``key`` that its value does not keep in place (any would do: the
    key is matched whole, so a text holding it holds each of its characters)."""
    for before, after in zip(key, value, strict=False):
        if before != after:
            return before
    return key[0]


def _dictionary_files(config: str) -> list[Path]:
    """The ``.ocd2`` files of an OpenCC config: its normalization and conversion steps."""
    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    steps = json.loads((share / f"{config}.json").read_text(encoding="utf-8"))
    files: list[Path] = []

    def add(spec: dict[str, object]) -> None:
        if spec["type"] == "group":
            for member in spec["dicts"]:  # type: ignore[attr-defined]
                add(member)
        elif spec["type"] == "ocd2":
            files.append(share / str(spec["file"]))
        else:
            raise ValueError(f"OpenCC dictionary type {spec['type']!r} is not read")

    for step in [*steps.get("normalization", []), *steps["conversion_chain"]]:
        add(step["dict"])
    return files


def _read_ocd2(path: Path) -> Iterator[tuple[str, list[str]]]:
    """Each key of an ``.ocd2`` dictionary with its values."""
    import marisa_trie  # noqa: PLC0415 - only needed once per config and process

    data = path.read_bytes()
    if not data.startswith(_HEADER):
        raise ValueError(f"{path.name}: not an OCD2 dictionary")
    trie = marisa_trie.Trie()
    trie.frombytes(data[len(_HEADER) :])
    cursor = len(_HEADER) + len(trie.tobytes())
    count, size = struct.unpack_from("<II", data, cursor)
    cursor += 8
    buffer, cursor = data[cursor : cursor + size], cursor + size
    values: list[list[str]] = []
    offset = 0
    for _ in range(count):
        (value_count,) = struct.unpack_from("<H", data, cursor)
        sizes = struct.unpack_from(f"<{value_count}H", data, cursor + 2)
        cursor += 2 + 2 * value_count
        values.append([buffer[offset : (offset := offset + n) - 1].decode() for n in sizes])
    if cursor != len(data) or offset != size:
        raise ValueError(f"{path.name}: unexpected OCD2 layout")
    for key, key_id in trie.items():
        yield key, values[key_id]
