"""C array types made by briefkit.arraytypes: the very types cffi's parser makes, without parsing."""
from __future__ import annotations

import cffi
import pytest

from briefkit import arraytypes


def _ffi():
    ffi = cffi.FFI()
    ffi.cdef("typedef uint32_t hb_codepoint_t; typedef struct { int x; } other_t;")
    return ffi


@pytest.fixture
def counted(monkeypatch):
    """A new FFI whose parses are counted, with briefkit's table of types."""
    ffi, parsed = _ffi(), []
    parse = ffi._parser.parse_type
    monkeypatch.setattr(ffi._parser, "parse_type", lambda name: parsed.append(name) or parse(name))
    ffi._parsed_types = arraytypes.Types(ffi, ffi._parsed_types)
    return ffi, parsed


def test_weasyprints_ffi_makes_its_arrays_so():
    from weasyprint.text.ffi import ffi

    assert arraytypes.install(), "this cffi's type lookup is not the one briefkit knows: see KNOWN"
    assert isinstance(ffi._parsed_types, arraytypes.Types)
    assert list(ffi.new("hb_codepoint_t[3]", [7, 8, 9])) == [7, 8, 9]


@pytest.mark.parametrize("length", [0, 1, 214, 4096])
def test_an_array_is_the_type_the_parser_makes(counted, length):
    ffi, parsed = counted
    mine = ffi.typeof(f"hb_codepoint_t[{length}]")
    assert mine is _ffi().typeof(f"hb_codepoint_t[{length}]")  # cffi's own, parsed
    assert ffi.sizeof(mine) == 4 * length and ffi.typeof(f"hb_codepoint_t[{length}]") is mine
    assert parsed == ["hb_codepoint_t[]"]  # the open array only, once


def test_lengths_never_seen_are_not_parsed(counted):
    ffi, parsed = counted
    arrays = [ffi.new(f"hb_codepoint_t[{n}]", list(range(n))) for n in range(1, 40)]
    assert [len(a) for a in arrays] == list(range(1, 40)) and list(arrays[-1])[-1] == 38
    assert parsed == ["hb_codepoint_t[]"]


@pytest.mark.parametrize("name", ["other_t[3]", "hb_codepoint_t *", "hb_codepoint_t[]", "char[4]", "hb_codepoint_t[0x10]"])
def test_every_other_name_is_parsed_as_before(counted, name):
    ffi, parsed = counted
    assert ffi.typeof(name).cname == _ffi().typeof(name).cname
    assert parsed == [name]
    ffi.typeof(name)
    assert parsed == [name]  # and kept
