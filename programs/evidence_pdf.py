"""Does an uploaded PDF carry active content: scripts, actions that launch programs, embedded files,
rich media or XFA forms? Evidence is a report or a scan; none of these belongs in one, and each is
how a PDF attacks the reader who opens it.

The check reads the file's bytes, not a parsed document: it lexes the PDF's syntax outside streams
(skipping comments and strings, decoding #hex escapes in names), inflates object streams, where
PDF 1.5+ keeps most dictionaries compressed, and looks at other streams' bytes only where they read
as text. It refuses what it cannot read (an object stream it cannot inflate, or one that inflates
past a budget). A determined author can still hide a token from any byte scan; that is why evidence
is also always served as a sandboxed download (programs.evidence.file_response), never shown inline.
"""

from __future__ import annotations

import enum
import re
import zlib
from collections.abc import Iterator

# Dictionary keys and action types that make a PDF do something rather than show something.
# /OpenAction alone is not here: "open at page 1, fit the width" is common and harmless; an
# opening action that runs a script names /JavaScript and /JS.
ACTIVE_NAMES = frozenset(
    {
        b"JS",
        b"JavaScript",
        b"AA",  # additional actions: on page open, on field focus, ...
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"XFA",
    }
)


class Verdict(enum.Enum):
    PLAIN = "plain"
    ACTIVE = "active"
    UNREADABLE = "unreadable"


_NAME_CHARS = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
# What the lexer stops at outside streams: a comment, a literal string, a hex string, a name.
_LEX = re.compile(rb"%[^\r\n]*|\(|<[0-9A-Fa-f\x00\t\n\x0c\r ]*>|/" + _NAME_CHARS + rb"*")
_STRING_STOP = re.compile(rb"[()\\]")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"\bstream(?:\r\n|\n|\r)")
_OBJECT_HEAD = re.compile(rb"\d+\s+\d+\s+obj\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)\b(?!\s+\d+\s+R)")
_NAME = re.compile(rb"/(" + _NAME_CHARS + rb"+)")
_PRINTABLE = b"\t\n\r" + bytes(range(32, 127))
# Around a name found in a stream's raw bytes, this much of the text must be printable for it to
# count: a hidden dictionary is text, while "/JS " turns up by chance in megabytes of photo data.
_WINDOW = 32
# How far before "stream" its dictionary may start.
_DICT_REACH = 65536
_FLATE = frozenset({b"FlateDecode", b"Fl"})
# What an object stream may carry besides deflate that this check does not undo: other filters,
# and predictors (DecodeParms), which would scramble the inflated text.
_NOT_UNDONE = frozenset(
    {
        b"ASCIIHexDecode",
        b"AHx",
        b"ASCII85Decode",
        b"A85",
        b"LZWDecode",
        b"LZW",
        b"RunLengthDecode",
        b"RL",
        b"Crypt",
        b"DecodeParms",
        b"DP",
    }
)


def _decoded(raw: bytes) -> bytes:
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw) if b"#" in raw else raw


def _string_end(text: bytes, pos: int) -> int:
    """Where a literal string opened just before `pos` ends (strings nest and escape with \\)."""
    depth = 1
    while depth:
        stop = _STRING_STOP.search(text, pos)
        if stop is None:
            return len(text)
        char = stop.group()
        pos = stop.end() + (1 if char == b"\\" else 0)
        if char == b"(":
            depth += 1
        elif char == b")":
            depth -= 1
    return pos


def _names(text: bytes) -> Iterator[bytes]:
    """The names of PDF syntax in `text`, outside comments and strings, #hex escapes decoded."""
    pos = 0
    while (token := _LEX.search(text, pos)) is not None:
        pos = token.end()
        value = token.group()
        if value == b"(":
            pos = _string_end(text, pos)
        elif value.startswith(b"/"):
            yield _decoded(value[1:])


def _names_in_text_parts(body: bytes) -> Iterator[bytes]:
    """Names in a stream's raw bytes: all of them when it is text (an uncompressed page, where
    strings are skipped as outside streams), else only those standing in text."""
    if _is_text(body):
        yield from _names(body)
        return
    for match in _NAME.finditer(body):
        if _is_text(body[max(0, match.start() - _WINDOW) : match.end() + _WINDOW]):
            yield _decoded(match.group(1))


def _is_text(data: bytes) -> bool:
    return len(data.translate(None, _PRINTABLE)) <= 0.1 * len(data)


def _stream_dictionary(data: bytes, after: int, stream_at: int) -> tuple[set[bytes], int | None]:
    """The names in the dictionary of the stream starting at `stream_at` (and after the previous
    stream, at `after`), and its /Length when it is written directly."""
    start = max(after, stream_at - _DICT_REACH)
    heads = list(_OBJECT_HEAD.finditer(data, start, stream_at))
    head = data[heads[-1].end() if heads else start : stream_at]
    length = _LENGTH.search(head)
    return set(_names(head)), int(length.group(1)) if length else None


def _inflated(body: bytes, budget: int) -> bytes | None:
    """The inflated bytes, or None when they are not deflate data or exceed the budget."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(body, budget + 1)
    except zlib.error:
        return None
    return None if len(out) > budget else out


def scan(data: bytes, *, inflate_budget: int) -> Verdict:
    """Whether the PDF in `data` is plain, active, or cannot be read well enough to tell.
    `inflate_budget` bounds the bytes inflated from object streams, all together."""
    found: set[bytes] = set()
    pos = 0
    while (stream := _STREAM.search(data, pos)) is not None:
        found.update(_names(data[pos : stream.start()]))
        dictionary, length = _stream_dictionary(data, pos, stream.start())
        body_start = stream.end()
        end = -1
        if length is not None and data[body_start + length : body_start + length + 11].lstrip().startswith(
            b"endstream"
        ):
            end = body_start + length
        if end < 0:
            end = data.find(b"endstream", body_start)
            end = len(data) if end < 0 else end
        body = data[body_start:end]
        # An object stream (it must say where its first object starts: /First) holds dictionaries.
        if b"First" in dictionary or b"ObjStm" in dictionary:
            if not dictionary & _FLATE or dictionary & _NOT_UNDONE:
                return Verdict.UNREADABLE
            inflated = _inflated(body, inflate_budget)
            if inflated is None:
                return Verdict.UNREADABLE
            inflate_budget -= len(inflated)
            found.update(_names(inflated))
        else:
            found.update(_names_in_text_parts(body))
        pos = end
    found.update(_names(data[pos:]))
    return Verdict.ACTIVE if found & ACTIVE_NAMES else Verdict.PLAIN
