from decimal import Decimal

from xiaoneng.core.ranking import competition_ranks


def test_ties_share_a_rank_and_the_next_rank_skips():
    rows = [("a", Decimal("90")), ("b", Decimal("95")), ("c", Decimal("90")), ("d", Decimal("80"))]
    ranked = competition_ranks(rows, key=lambda row: row[1])
    assert [(r.rank, r.row[0], r.tied) for r in ranked] == [
        (1, "b", False), (2, "a", True), (2, "c", True), (4, "d", False)]


def test_tie_break_key_separates_equal_points():
    rows = [("a", 90, 3), ("b", 90, 5), ("c", 70, 9)]
    ranked = competition_ranks(rows, key=lambda row: (row[1], row[2]))
    assert [(r.rank, r.row[0]) for r in ranked] == [(1, "b"), (2, "a"), (3, "c")]


def test_ascending_order_for_fewest_is_best():
    ranked = competition_ranks([("a", 3), ("b", 1), ("c", 1)], key=lambda row: row[1], descending=False)
    assert [(r.rank, r.row[0]) for r in ranked] == [(1, "b"), (1, "c"), (3, "a")]


def test_empty():
    assert competition_ranks([], key=lambda row: row) == []
