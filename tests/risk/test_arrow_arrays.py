"""Arrow reached directly (webapp/risk/arrow_arrays.py) gives what pa.array and pyarrow.compute
give (fast)."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from webapp.risk.arrow_arrays import (
    arrow_array,
    dictionary_encoded,
    joined,
    kept,
    take,
    text_offsets,
    without_trailing,
)

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


TEXTS = pa.array(["a", None, "bc\r\n", "", "d\n", "e\r"], pa.string())


def test_the_functions_called_directly_do_what_pyarrow_compute_does():
    indices = np.array([5, 0, 0, 2], dtype=np.int64)
    keep = np.array([True, False, True, True, False, True])

    assert take(TEXTS, indices).equals(pc.take(TEXTS, pa.array(indices)))
    assert take(pa.table({"t": TEXTS}), indices).equals(pa.table({"t": TEXTS}).take(indices))
    assert kept(TEXTS, keep).equals(TEXTS.filter(pa.array(keep)))
    assert joined([TEXTS, TEXTS], ",").to_pylist() == [
        "a,a", ",", "bc\r\n,bc\r\n", ",", "d\n,d\n", "e\r,e\r",
    ]  # fmt: skip
    assert without_trailing(TEXTS, "\r\n").to_pylist() == ["a", None, "bc", "", "d", "e"]
    assert dictionary_encoded(TEXTS).equals(TEXTS.dictionary_encode())
    with_nulls = dictionary_encoded(TEXTS, nulls_as_a_value=True)
    assert with_nulls.null_count == 0
    assert with_nulls.dictionary.to_pylist() == ["a", None, "bc\r\n", "", "d\n", "e\r"]


def test_text_offsets_of_a_slice_are_where_its_own_texts_lie():
    texts = pa.array(["a", "bc", "", "def"], pa.string())

    assert text_offsets(texts).tolist() == [0, 1, 3, 3, 6]
    assert text_offsets(texts.slice(1, 2)).tolist() == [1, 3, 3]
