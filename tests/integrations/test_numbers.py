"""Number forms for lookups, and matching a CRM's number back to the caller."""

from __future__ import annotations

import pytest

from integrations.numbers import same_number, variants

ALL = ("as_dialled", "e164", "international", "national", "national_digits")


def test_a_us_number_in_every_form():
    assert variants("4155550100", "US", ALL) == [
        "4155550100", "+14155550100", "+1 415-555-0100", "(415) 555-0100",
    ]


def test_forms_are_tried_in_the_chosen_order_without_repeats():
    assert variants("+44 20 7183 8750", "US", ("national_digits", "e164", "as_dialled")) == [
        "02071838750", "+442071838750", "+44 20 7183 8750",
    ]


def test_a_number_that_does_not_parse_is_tried_as_dialled():
    assert variants("*97", "US", ALL) == ["*97"]


@pytest.mark.parametrize(("a", "b", "same"), [
    ("+1 (415) 555-0100", "14155550100", True),
    ("4155550100", "+14155550100", True),  # last 7 digits
    ("+14155550100", "+14155550199", False),
    ("", "123", False),
])
def test_matching_back_to_the_caller(a, b, same):
    assert same_number(a, b) is same


def test_last_digit_matching_can_be_turned_off():
    assert not same_number("4155550100", "+14155550100", last_digits=0)
