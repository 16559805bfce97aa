"""NumPy arrays handed to Arrow from their buffers.

`pa.array(ndarray)`, and every Arrow function given an ndarray (`take` with NumPy
indices, say), first asks whether it is a NumPy masked array, and asking imports
numpy.ma: 15 ms or more of each `flask risk score` run, for a module nothing uses.
"""

import numpy as np
import pyarrow as pa


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
