"""Batches: chunking and de-duplication of what callers send."""

from smooth_lms.lms.framework.batches import chunked, unique_in_order


def test_unique_in_order_and_chunked():
	assert unique_in_order([" b@x.com", "a@x.com", "b@x.com", "", "a@x.com "]) == ["b@x.com", "a@x.com"]
	assert [list(c) for c in chunked(list(range(5)), 2)] == [[0, 1], [2, 3], [4]]
