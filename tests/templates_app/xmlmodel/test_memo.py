"""The save-time checks remember answers by digest, within a byte budget."""

from __future__ import annotations

from templates_app.xmlmodel.memo import bounded_memo


def counting(max_bytes: int):
    calls: list[str] = []

    @bounded_memo(max_bytes)
    def answer(value: str) -> tuple[int, str]:
        calls.append(value)
        return (0, f"problem in {value[:40]}")

    return answer, calls


def test_a_value_asked_twice_is_computed_once():
    answer, calls = counting(100_000)
    assert answer("abc") == answer("abc") == (0, "problem in abc")
    assert calls == ["abc"]


def test_many_distinct_values_keep_the_answers_within_the_budget():
    answer, _ = counting(20_000)
    for n in range(2_000):
        answer(f"{n}" + "x" * 10_000)
    assert 0 < answer.held_bytes() <= 20_000


def test_the_least_recently_used_answer_goes_first():
    answer, calls = counting(1_500)
    answer("old")
    for n in range(20):
        answer(f"new {n}")
    answer("old")
    assert calls.count("old") == 2


def test_a_remembered_answer_does_not_keep_its_value_alive():
    answer, _ = counting(1_000_000)
    answer("v" * 500_000)
    assert answer.held_bytes() < 1_000


def test_an_answer_too_large_for_its_share_is_not_kept():
    @bounded_memo(16_000)
    def echo(value: str) -> str:
        return value

    echo("w" * 5_000)
    assert echo.held_bytes() == 0
