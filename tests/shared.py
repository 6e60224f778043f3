"""The team's shared folder, found one way for the whole suite: beside the repository.

That is where CI lays it out (a clean clone with ``shared/`` next to it). The suite
refuses to start without it (conftest.py), so no test can pass by finding nothing.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REALWORLD = SHARED / "realworld-templates"
CONFORMANCE = SHARED / "conformance"
