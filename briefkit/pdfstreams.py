"""The PDF's streams compressed at zlib's default level.

pydyf, which writes WeasyPrint's PDF, compresses every stream (page contents, fonts, images) at
zlib's highest level, 9: a twentieth of the time a brief's PDF takes, for files 0.9 % smaller
than at the default level, 6 (measured on a brief: 130 KB either way). Here the same streams are
written as pydyf writes them, compressed at level 6. The PDF is the same document, its bytes as
reproducible as before (the same inputs give the same bytes); a pydyf whose method is not the one
this was written against (KNOWN) keeps its own.
"""
from __future__ import annotations

import zlib

from . import patches

KNOWN = {"bdc2bc513f286de7"}  # pydyf.Stream.data of pydyf 0.13
LEVEL = 6


def install() -> bool:
    """Compress PDF streams at LEVEL in this process; return whether it is in use."""
    import pydyf

    return patches.replace(pydyf.Stream, "data", KNOWN, _at_default_level)


def _at_default_level(original):
    from pydyf import Dictionary, _to_bytes

    def data(self):
        stream = b"\n".join(_to_bytes(item) for item in self.stream)
        extra = Dictionary(self.extra.copy())
        if self.compress:
            extra["Filter"] = "/FlateDecode"
            packer = zlib.compressobj(level=LEVEL)
            stream = packer.compress(stream) + packer.flush()
        extra["Length"] = len(stream)
        return b"\n".join((extra.data, b"stream", stream, b"endstream"))

    return data
