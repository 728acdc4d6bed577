"""One definition, two engines: the panel with every measure is the same on DuckDB and on Spark."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.scale.conftest import spark_missing

ALL = "majors,nmc,igos,atop,ucdp,unvotes,idealpoints,events,mids,wars,rivalries"


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore:Exception ignored in.*socket:pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_panels_spark_equals_duckdb(full_store):
    """A directed COW panel 1988-1991 with every measure: the same rows and values on both engines
    (one case: a Spark run costs minutes on this shared machine; the G-W crosswalk is covered on DuckDB
    by tests/panels/test_panels_measures.py)."""
    system, directed = "cow", True
    reason = spark_missing()
    if reason:
        pytest.skip(reason)
    full_store.idealpoints()  # fit once, before either engine reads the estimates
    on_duck = full_store.create_dyadyears(system=system, years=(1988, 1991), directed=directed).add(ALL)
    on_spark = full_store.create_dyadyears(system=system, years=(1988, 1991), directed=directed,
                                           engine="spark", master="local[2]").add(ALL)
    try:
        a, b = on_duck.to_pandas(), on_spark.to_pandas()
    finally:
        on_spark.close()
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b) > 0
    keys = list(a.columns[:3])
    a = a.sort_values(keys).reset_index(drop=True)
    b = b.sort_values(keys).reset_index(drop=True)
    for col in a.columns:
        x, y = a[col], b[col]
        assert (x.isna() == y.isna()).all(), col
        m = ~x.isna()
        if pd.api.types.is_float_dtype(x):
            np.testing.assert_allclose(x[m].astype(float), y[m].astype(float), rtol=1e-12, err_msg=col)
        else:
            assert (x[m].astype("int64") == y[m].astype("int64")).all(), col
