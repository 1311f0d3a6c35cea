"""Where briefkit puts a function of its own in place of one of WeasyPrint's (or matplotlib's).

Each replacement is written against one version of the function it replaces, known by the digest
of its source: another release keeps its own function (correct, only slower), and the unit test
of each replacement fails to say so. The function replaced stays at hand as `.original`.
"""
from __future__ import annotations

import hashlib
import inspect
from typing import Callable


def replace(owner, name: str, known: set[str], make: Callable) -> bool:
    """Put make(original) in place of owner.<name> (owner[name] when the owner is a dict, as
    WeasyPrint's table of SVG elements is; the getter when it is a property, as pydyf's stream data
    is) if the original's digest is in `known`; return whether briefkit's function is in use (it
    stays so: a second call changes nothing)."""
    current = owner[name] if isinstance(owner, dict) else getattr(owner, name)
    function = current.fget if isinstance(current, property) else current
    if getattr(function, "briefkit", False):
        return True
    if digest(function) not in known:
        return False
    ours = make(function)
    ours.briefkit, ours.original = True, function
    placed = property(ours) if isinstance(current, property) else ours
    if isinstance(owner, dict):
        owner[name] = placed
    else:
        setattr(owner, name, placed)
    return True


def digest(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


def replace_in(owners, name: str, known: set[str], make: Callable) -> bool:
    """replace() in each of `owners` (every module that imported the function by name), with one
    function of briefkit's for them all (what it keeps, it keeps once); return whether it is in use
    in every one."""
    made: list = []

    def once(original):
        if not made:
            made.append(make(original))
        return made[0]

    return all([replace(owner, name, known, once) for owner in owners])
