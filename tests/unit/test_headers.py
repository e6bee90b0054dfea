"""Multi-value headers and query strings."""

from __future__ import annotations

from sdk import Headers, Query


def test_single_value_dict_is_case_insensitive() -> None:
    headers = Headers({"Content-Type": "application/json", "X-Id": "7"})
    assert headers.get("content-type") == "application/json"
    assert headers["X-ID"] == "7"
    assert "x-id" in headers
    assert headers.get("missing") is None
    assert headers.get("missing", "d") == "d"
    assert headers.get_all("missing") == []
    assert sorted(headers) == ["content-type", "x-id"]


def test_multi_value_form_wins_over_the_single_value_one() -> None:
    # API Gateway REST sends both; the single map holds only the last value.
    headers = Headers({"Header2": "value2"}, {"Header2": ["value1", "value2"]})
    assert headers.get("header2") == "value1"
    assert headers.get_all("HEADER2") == ["value1", "value2"]
    assert headers.to_dict() == {"header2": ["value1", "value2"]}


def test_multi_value_maps_of_one_value_each_and_their_other_shapes() -> None:
    # One str per name is indexed in one pass; names folding together, empty,
    # None, numeric and repeated values take the general loop, alike.
    headers = Headers(None, {"Accept": ["a/b"], "X-Id": ["7"]})
    assert headers.to_dict() == {"accept": "a/b", "x-id": "7"}
    folded = Headers(None, {"X-A": ["1"], "x-a": ["2"], "X-B": [], "X-C": [None], "X-D": [3]})
    assert folded.get_all("x-a") == ["1", "2"]
    assert folded.to_dict() == {"x-a": ["1", "2"], "x-d": "3"}
    query = Query(None, {"a": ["1"], "A": ["2"], "b": ["3", "4"]})
    assert query.to_dict() == {"a": "1", "A": "2", "b": ["3", "4"]}
    sent = ["1"]
    kept = Query(None, {"a": sent})
    kept.get_all("a").append("x")
    assert kept.get_all("a") == ["1"] and sent == ["1"]  # the payload's list is not shared


def test_comma_joined_values_are_never_split() -> None:
    headers = Headers({"If-Modified-Since": "Wed, 21 Oct 2015 07:28:00 GMT"})
    assert headers.get_all("if-modified-since") == ["Wed, 21 Oct 2015 07:28:00 GMT"]


def test_pairs_keep_repeats_in_order() -> None:
    headers = Headers(pairs=[("Cookie", "a=1"), ("cookie", "b=2")])
    assert headers.get_all("cookie") == ["a=1", "b=2"]
    assert headers.multi_items() == [("cookie", "a=1"), ("cookie", "b=2")]
    assert len(headers) == 1


def test_list_values_in_the_single_map() -> None:
    headers = Headers({"Header2": ["value1", "value2"]})
    assert headers.get_all("header2") == ["value1", "value2"]


def test_query_is_case_sensitive() -> None:
    query = Query(pairs=[("a", "1"), ("a", "2"), ("A", "3")])
    assert query.get("a") == "1"
    assert query.get_all("a") == ["1", "2"]
    assert query.get("A") == "3"
    assert query.to_dict() == {"a": ["1", "2"], "A": "3"}


def test_none_values_are_absent() -> None:
    assert "x" not in Headers({"x": None})
