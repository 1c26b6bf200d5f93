"""Charts: series break where the boundary changes."""

from __future__ import annotations

from dashboard.figures import charts


def test_series_gap_before_a_boundary_change():
    xs, ys = charts.with_breaks([2019, 2020, 2021], [1.0, 2.0, 3.0], [2021])
    assert xs == [2019, 2020, None, 2021] and ys == [1.0, 2.0, None, 3.0]
