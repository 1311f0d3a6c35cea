"""The C array types WeasyPrint asks for when it subsets a font, made without parsing C.

To subset a font, WeasyPrint hands HarfBuzz the glyphs a brief uses as a C array whose type it
names with its length (`hb_codepoint_t[214]`). cffi parses every type name it has not seen with a
C parser, a few milliseconds each, and a brief's fonts use lengths no earlier brief used: about one
such parse a brief. Here a type name of that form is answered from the array type of unknown
length, given the length: the same cffi type object that parsing the name gives. Every other name
is parsed as before. A cffi whose type lookup is not the one this was written against (KNOWN)
parses as it always did.
"""
from __future__ import annotations

import re

from . import patches

KNOWN = {"d12dc5b8865a6a85"}  # cffi.api.FFI._typeof_locked of cffi 2.1: parses a name it does not hold
KNOWN_TYPEOF = {"dca47e1e87e0e634"}  # cffi.api.FFI._typeof of cffi 2.1: reads the table by subscript first
ARRAY = re.compile(r"(hb_codepoint_t)\[(\d+)\]")  # the item types WeasyPrint sizes this way


class Types(dict):
    """An FFI's table of parsed type names, which makes `item[length]` names of ARRAY on demand."""

    def __init__(self, ffi, parsed: dict):
        super().__init__(parsed)
        self.ffi, self.open_arrays = ffi, {}

    def __missing__(self, name):
        found = ARRAY.fullmatch(name) if isinstance(name, str) else None
        if found is None:
            raise KeyError(name)  # cffi parses it, and keeps it here
        from cffi import model

        ffi = self.ffi
        with ffi._lock:
            if name in self:  # another thread made it meanwhile
                return dict.__getitem__(self, name)
            item = self._open_array(found.group(1)).item
            made = self[name] = (ffi._get_cached_btype(model.ArrayType(item, int(found.group(2)))), False)
        return made

    def _open_array(self, item: str):
        """The model type of `item[]`, parsed once (with the FFI's lock held)."""
        if item not in self.open_arrays:
            self.open_arrays[item] = self.ffi._parser.parse_type(f"{item}[]")
        return self.open_arrays[item]


def install() -> bool:
    """Make WeasyPrint's array types without parsing in this process; return whether it is in use."""
    from cffi.api import FFI
    from weasyprint.text.ffi import ffi

    if isinstance(ffi._parsed_types, Types):
        return True
    if patches.digest(FFI._typeof_locked) not in KNOWN or patches.digest(FFI._typeof) not in KNOWN_TYPEOF:
        return False  # another cffi: it may read its table otherwise
    with ffi._lock:
        ffi._parsed_types = Types(ffi, ffi._parsed_types)
    return True

