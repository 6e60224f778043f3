"""A CRM answer's Outputs, zipped by index into one record per contact (or user).

An array path (``data.#.id``) yields one value per element; outputs are zipped by
index, so the third record holds the third id, the third name, and so on. A path
that yields one value (``meta.total``) gives it to every record. Outputs are text:
the guide fixes their Type as string, so numbers keep their JSON spelling, booleans
are ``true``/``false`` and a missing value is empty.
"""

from __future__ import annotations

from collections.abc import Iterable

from templates_app.gjson import Result


def as_text(result: Result) -> str:
    """The text of one output value."""
    if not result.exists or result.type == "Null":
        return ""
    if result.type == "String":
        return result.str
    return result.raw


def zip_records(outputs: Iterable[tuple[str, Result]]) -> list[dict[str, str]]:
    """One record per index of the array outputs; scalars repeated in each record.

    With no array output, one record when any output has a value, else none.
    """
    columns: dict[str, list[str]] = {}
    scalars: dict[str, str] = {}
    for name, result in outputs:
        if result.is_array:
            columns[name] = [as_text(item) for item in result.array()]
        else:
            scalars[name] = as_text(result)
    if not columns:
        return [scalars] if any(scalars.values()) else []
    count = max(len(values) for values in columns.values())
    records = []
    for i in range(count):
        record = dict(scalars)
        for name, values in columns.items():
            record[name] = values[i] if i < len(values) else ""
        records.append(record)
    return records


def first_values(outputs: Iterable[tuple[str, Result]]) -> dict[str, str]:
    """Each output's value, the first element for an array (GetGlobalInfo, Next, create)."""
    values = {}
    for name, result in outputs:
        if result.is_array:
            items = result.array()
            values[name] = as_text(items[0]) if items else ""
        else:
            values[name] = as_text(result)
    return values
