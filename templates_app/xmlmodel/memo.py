"""A memo for the save-time checks that is bounded by bytes, not by entries.

The checks are asked about every value of every template, and again on every
keystroke of the live check, so remembering answers pays. But an answer remembered
under its full value keeps that value alive: 75 distinct 3.9 MB values kept 350 MB
in a 16,384-entry ``lru_cache``. Here a value is known by its BLAKE2 digest, and an
answer is kept only while all answers together stay under a byte budget.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

T = TypeVar("T")

_ENTRY_OVERHEAD = 200  # the digest, the dict slot and the answer's own objects


def _size(answer: object) -> int:
    """Roughly what an answer keeps alive: the text of its messages."""
    if answer is None:
        return 0
    if isinstance(answer, str):
        return sys.getsizeof(answer)
    if isinstance(answer, tuple):
        return sum(_size(item) for item in answer) + 8 * len(answer)
    return 32


def bounded_memo(max_bytes: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Memoize a function of one string, keeping at most ``max_bytes`` of answers."""

    def decorate(function: Callable[[str], T]) -> Callable[[str], T]:
        answers: OrderedDict[bytes, tuple[T, int]] = OrderedDict()
        lock = threading.Lock()
        held = 0

        @wraps(function)
        def memoized(value: str) -> T:
            nonlocal held
            key = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=16).digest()
            with lock:
                found = answers.get(key)
                if found is not None:
                    answers.move_to_end(key)
                    return found[0]
            answer = function(value)
            size = _size(answer) + _ENTRY_OVERHEAD
            if size > max_bytes // 16:
                return answer  # one answer may not crowd out the rest
            with lock:
                if key not in answers:
                    answers[key] = (answer, size)
                    held += size
                    while held > max_bytes:
                        _, (_, dropped) = answers.popitem(last=False)
                        held -= dropped
            return answer

        def held_bytes() -> int:
            return held

        def cache_clear() -> None:
            nonlocal held
            with lock:
                answers.clear()
                held = 0

        memoized.held_bytes = held_bytes  # type: ignore[attr-defined]
        memoized.cache_clear = cache_clear  # type: ignore[attr-defined]
        return memoized

    return decorate
