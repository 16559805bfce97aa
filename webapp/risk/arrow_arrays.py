"""Arrow for case-finding, at the cost of what it does and no more.

- NumPy arrays are handed to Arrow from their buffers. `pa.array(ndarray)`, and every
  Arrow function given an ndarray, first asks whether it is a NumPy masked array, and
  asking imports numpy.ma: 15 ms or more of each `flask risk score` run, for a module
  nothing uses.
- Arrow's functions (take, filter, join…) are called through `call_function`, from the
  extension module that holds them. Importing `pyarrow.compute`, which array methods such
  as `take` do on first use, builds a documented Python wrapper for each of its 280-odd
  functions: 60 to 80 ms, about a twentieth of a practice list's whole run. The
  functions and their options are the same objects `pyarrow.compute` hands out.
"""

import numpy as np
import pyarrow as pa
from pyarrow._compute import (
    DictionaryEncodeOptions,
    JoinOptions,
    TrimOptions,
    call_function,
)


def arrow_array(values: np.ndarray) -> pa.Array:
    """`values` (booleans or numbers, no missing values) as an Arrow array."""
    if values.dtype == np.bool_:
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, bitmap(values)])
    values = np.ascontiguousarray(values)
    kind = pa.from_numpy_dtype(values.dtype)
    return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(values)])


def bitmap(flags: np.ndarray) -> pa.Buffer:
    """`flags` packed as Arrow packs booleans and validity: a bit each, lowest bit first."""
    return pa.py_buffer(np.packbits(flags, bitorder="little"))


def text_offsets(texts: pa.Array) -> np.ndarray:
    """Where each text of `texts` (an Arrow string array, perhaps a slice) starts in its
    data buffer, and after the last, where it ends: len(texts) + 1 of them, no copy."""
    return np.frombuffer(texts.buffers()[1], dtype=np.int32, count=len(texts) + 1,
                         offset=texts.offset * 4)  # fmt: skip


def take(values: pa.Array | pa.Table, indices: np.ndarray) -> pa.Array | pa.Table:
    """The items (or rows) of `values` at `indices`, in that order."""
    return call_function("take", [values, arrow_array(indices)])


def kept(values: pa.Array, keep: np.ndarray) -> pa.Array:
    """The items of `values` where `keep` is true."""
    return call_function("filter", [values, arrow_array(keep)])


def joined(columns: list[pa.Array], separator: str) -> pa.Array:
    """Each row's texts from `columns`, joined by `separator`; a null is an empty text."""
    options = JoinOptions(null_handling="replace")
    return call_function("binary_join_element_wise", [*columns, separator], options)


def without_trailing(texts: pa.Array, characters: str) -> pa.Array:
    """Each text with any of `characters` at its end removed (ASCII)."""
    return call_function("ascii_rtrim", [texts], TrimOptions(characters))


def dictionary_encoded(
    values: pa.Array | pa.ChunkedArray, nulls_as_a_value: bool = False
) -> pa.DictionaryArray | pa.ChunkedArray:
    """`values` as a dictionary of their distinct values and each one's index in it; with
    `nulls_as_a_value`, a null is one of the values rather than a null index."""
    options = DictionaryEncodeOptions("encode" if nulls_as_a_value else "mask")
    return call_function("dictionary_encode", [values], options)
