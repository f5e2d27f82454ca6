"""A bounded memo for pure builders whose inputs are tables: the same content gives the same object back.

Why: a dashboard page reruns on every click, and at 20,000 organisations rebuilding its
plotly figures from unchanged data cost 100–400 ms a run, more than the page's whole
budget (issue 20: a warm page within 150 ms). Plotly validates every property as a
figure is assembled, so the build, not the data, dominates a rerun.

The key is the builder's name and a fingerprint of its arguments' content, not their
identity: Streamlit's `st.cache_data` hands each run a fresh unpickled copy of a table,
so an identity key would never hit, while a content key also serves another session
looking at the same data. A table's fingerprint hashes its values column by column
(numbers as their raw array, text as its pickled array: about 6 ms for the Benchmark's 20,000
named points, where `pandas.util.hash_pandas_object` took 27 ms), together with its
columns, index and dtypes, so equal numbers under another column name or type differ.
Other values are fingerprinted by type and content; a value of a type not listed
(e.g. an open connection) is refused with TypeError rather than keyed by identity.

The objects handed back are shared: callers treat them as read-only, which
`st.plotly_chart` and the exports do (they copy a figure into JSON). `clear()` empties
every memo, e.g. for a benchmark's cold run.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

T = TypeVar("T")
ENTRIES = 64  # per builder: a session's pages × languages × a few widget states
_ALL: list[_Memo] = []


def _column_bytes(values: pd.Series | pd.Index) -> bytes:
    """A column's values as bytes: the raw array for plain numbers and times, else their pickled array.

    Both encode the values themselves, so different content never gives the same bytes;
    equal numbers written differently (0.0 and -0.0, two NaN payloads) only miss.
    """
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "biufcmM":
        return np.ascontiguousarray(values.to_numpy()).tobytes()
    return pickle.dumps(values.array, protocol=pickle.HIGHEST_PROTOCOL)


def _feed(digest: Any, value: object) -> None:
    """Add `value`'s type and content to `digest` (recursively for containers)."""
    digest.update(type(value).__qualname__.encode())
    if isinstance(value, pd.DataFrame | pd.Series):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        layout = (list(frame.columns), [str(dtype) for dtype in frame.dtypes], frame.shape)
        digest.update(repr(layout).encode())
        digest.update(_column_bytes(frame.index))
        for column in range(frame.shape[1]):
            digest.update(_column_bytes(frame.iloc[:, column]))
    elif isinstance(value, np.ndarray):
        digest.update(repr((value.dtype.str, value.shape)).encode())
        # an object array's bytes are addresses, not content: pickle those
        objects = value.dtype.hasobject
        digest.update(pickle.dumps(value) if objects else np.ascontiguousarray(value).tobytes())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _feed(digest, field.name)
            _feed(digest, getattr(value, field.name))
    elif isinstance(value, dict):
        digest.update(str(len(value)).encode())
        for key, item in value.items():
            _feed(digest, key)
            _feed(digest, item)
    elif isinstance(value, list | tuple):
        digest.update(str(len(value)).encode())
        for item in value:
            _feed(digest, item)
    elif value is None or isinstance(value, str | int | float | bool | np.generic):
        digest.update(repr(value).encode())
    else:
        raise TypeError(f"cannot fingerprint a {type(value).__qualname__}")


def fingerprint(*values: object) -> bytes:
    """A digest of the values' types and content: equal content, equal digest."""
    digest = hashlib.blake2b(digest_size=20)
    for value in values:
        _feed(digest, value)
    return digest.digest()


class _Memo:
    """One builder's least-recently-used results, safe to share between Streamlit's session threads."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self.items: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[bool, Any]:
        with self.lock:
            if key not in self.items:
                return False, None
            self.items.move_to_end(key)
            return True, self.items[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.entries:
                self.items.popitem(last=False)


def memoised(
    context: Callable[[], object] = lambda: None, entries: int = ENTRIES
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorate a pure builder so equal arguments return the object built the first time.

    `context` names what the builder reads besides its arguments (e.g. the active
    framework's version, which decides dimension colours and names); it joins the key.
    """

    def decorate(builder: Callable[..., T]) -> Callable[..., T]:
        memo = _Memo(entries)
        _ALL.append(memo)

        @functools.wraps(builder)
        def cached(*args: object, **kwargs: object) -> T:
            key = fingerprint(context(), args, sorted(kwargs.items()))
            found, value = memo.get(key)
            if not found:
                value = builder(*args, **kwargs)
                memo.put(key, value)
            return value

        return cached

    return decorate


def clear() -> None:
    """Forget every memoised result (a cold start, as after a restart)."""
    for memo in _ALL:
        with memo.lock:
            memo.items.clear()
