"""Writing JSON output as a stream, and atomically when it goes to a file: no half-written exports."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def json_array(items: Iterable[Any]) -> Iterator[str]:
    """A JSON array, one item per line, produced item by item."""
    yield "["
    for index, item in enumerate(items):
        yield ("\n" if index == 0 else ",\n") + dumps(item)
    yield "\n]\n"


@contextmanager
def output(path: Path | None) -> Iterator[IO[str]]:
    """Standard output, or a file that only appears (replacing any old one) once fully written."""
    if path is None:
        yield sys.stdout
        return
    with _replacing(path, "w", encoding="utf-8") as stream:
        yield stream


@contextmanager
def binary_output(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that only appears (replacing any old one) once fully written."""
    with _replacing(path, "wb") as stream:
        yield stream


@contextmanager
def _replacing(path: Path, mode: str, **options: Any) -> Iterator[Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, mode, **options) as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
