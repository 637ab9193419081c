"""benchmarks/grouping_order.py's reordering: an order four processes' batch turns could give, no more."""

from __future__ import annotations

import itertools

from benchmarks.grouping_order import BATCH, PROCESSES, interleaved


def _rows(n: int, dated: bool) -> list[dict]:
    return [{"id": f"a{i}", **({"date": f"2020-01-{1 + i // 50:02d}"} if dated else {})} for i in range(n)]


def test_undated_a_permutation_that_keeps_each_process_batches_and_their_order():
    order = _rows(700, dated=False)
    position = {r["id"]: i for i, r in enumerate(order)}
    for seed in range(3):
        out = interleaved(order, seed)
        assert sorted(r["id"] for r in out) == sorted(position)
        for k in range(PROCESSES):  # each process's lines in its own order, in whole batches
            mine = [position[r["id"]] for r in out if position[r["id"]] % PROCESSES == k]
            assert mine == sorted(mine)
        # a process's turn starts at one of its batch boundaries (its k-th line, k a multiple of BATCH)
        for before, after in itertools.pairwise(out):
            k = position[after["id"]] % PROCESSES
            if k != position[before["id"]] % PROCESSES:
                assert (position[after["id"]] // PROCESSES) % BATCH == 0
    assert interleaved(order, 0) != interleaved(order, 1) and interleaved(order, 0) != order


def test_dated_stays_in_date_order_and_only_the_order_within_a_day_moves():
    order = _rows(700, dated=True)
    out = interleaved(order, 0)
    assert [r["date"] for r in out] == sorted(r["date"] for r in order)
    assert out != order and sorted(r["id"] for r in out) == sorted(r["id"] for r in order)
