"""Phone numbers: the forms a lookup tries, and matching an answer back to the caller.

A CRM stores a number however its users typed it. The number the PBX gives is
normalised with ``phonenumbers`` against the PBX's default country, and a lookup can
try the forms a CRM may hold, in an order the admin chooses. Matching a CRM's number
back to the caller accepts the same number exactly, or the same last N digits (7 by
default), as the PBX's own caller-ID match does.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneNumberFormat

# The forms, by the names the settings page shows, in their default order.
FORMS = {
    "as_dialled": "As dialled",
    "e164": "E.164 (+14155550100)",
    "international": "International (+1 415-555-0100)",
    "national": "National ((415) 555-0100)",
    "national_digits": "National digits only (4155550100)",
}
DEFAULT_FORMS = ("as_dialled", "e164")
DEFAULT_MATCH_DIGITS = 7
_NOT_DIGITS = re.compile(r"\D")


def variants(number: str, country: str = "US", forms: tuple[str, ...] | list[str] = DEFAULT_FORMS) -> list[str]:
    """``number`` in each of ``forms``, in that order, without repeats; a number that
    cannot be parsed is tried as dialled only."""
    dialled = number.strip()
    try:
        parsed = phonenumbers.parse(dialled, country.upper() or None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and not phonenumbers.is_possible_number(parsed):
        parsed = None  # a feature code (*97), an extension: nothing to reformat
    out: list[str] = []
    for form in forms:
        if form == "as_dialled" or parsed is None:
            text = dialled
        elif form == "e164":
            text = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
        elif form == "international":
            text = phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)
        elif form == "national":
            text = phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)
        elif form == "national_digits":
            text = _NOT_DIGITS.sub("", phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL))
        else:
            raise ValueError(f"unknown number form {form!r}")
        if text and text not in out:
            out.append(text)
    return out


def same_number(a: str, b: str, last_digits: int = DEFAULT_MATCH_DIGITS) -> bool:
    """Whether two numbers are the same caller: equal digits, or equal last ``last_digits``."""
    da, db = _NOT_DIGITS.sub("", a), _NOT_DIGITS.sub("", b)
    if not da or not db:
        return False
    if da == db:
        return True
    return last_digits > 0 and len(da) >= last_digits and len(db) >= last_digits and da[-last_digits:] == db[-last_digits:]
