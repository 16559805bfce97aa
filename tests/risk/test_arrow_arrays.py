"""NumPy arrays handed to Arrow from their buffers are the arrays pa.array makes (fast)."""

import numpy as np
import pyarrow as pa
import pytest

from webapp.risk.arrow_arrays import arrow_array

RANDOM = np.random.default_rng(146)


@pytest.mark.parametrize("length", [0, 1, 7, 8, 9, 1000])
@pytest.mark.parametrize(
    "make",
    [
        lambda n: RANDOM.random(n) < 0.5,
        lambda n: RANDOM.integers(-(2**31), 2**31, n, dtype=np.int32),
        lambda n: RANDOM.integers(-(2**62), 2**62, n, dtype=np.int64),
        lambda n: np.where(RANDOM.random(n) < 0.1, np.nan, RANDOM.normal(25, 5, n)),
    ],
    ids=["booleans", "int32", "int64", "float64 with NaN"],
)
def test_the_same_array_as_pa_array_makes(make, length):
    values = make(length)

    for shown in (values, values[::3]):  # a view with gaps between its items too
        made = arrow_array(shown)
        assert made.type == pa.array(shown).type
        assert made.null_count == 0
        # NaN counts as equal to NaN here, as a value carried over unchanged.
        np.testing.assert_array_equal(made.to_numpy(zero_copy_only=False), shown, strict=True)
