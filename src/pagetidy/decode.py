"""Bytes -> text, and why that encoding.

Order of evidence: a byte-order mark; the charset the caller gives (HTTP header or a forced
encoding); the page's own declarations (``<meta charset>``, ``http-equiv`` Content-Type, the XML
declaration, a crawler's ``<text encoding=...>`` wrapper), each accepted only when a strict decode
succeeds; then detection among UTF-8, GB18030 and Big5-HKSCS (plus charset-normalizer's guess),
preferring the candidate whose text holds the most common Chinese characters.

Labels are read the way browsers read them: gb2312, gbk, cp936 and x-gbk all mean GB18030 (a
superset: Python's gb2312 codec loses GBK-only characters such as 镕, 喆, 堃) and big5 means
Big5-HKSCS.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from charset_normalizer import from_bytes

from pagetidy.errors import DecodeError, InputError
from pagetidy.model import Encoding

DECLARATION_WINDOW = 64 * 1024
"""Declarations are looked for in the first 64 KiB, the same order of magnitude browsers scan."""

DETECTION_SAMPLE = 256 * 1024
"""Candidate decodes are compared on a sample; the chosen codec then decodes the whole input."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels browsers treat as another, wider encoding (WHATWG Encoding Standard, plus GB18030 for
# every GB label because the wider table is what the bytes almost always need).
_LABEL_ALIASES: dict[str, str] = {
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "csgb2312": "gb18030",
    "chinese": "gb18030",
    "iso-ir-58": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cn-big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "csbig5": "big5hkscs",
    "cp950": "big5hkscs",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "x-unicode20utf8": "utf-8",
    "latin1": "cp1252",
    "iso-8859-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}

_CANDIDATES = ("utf-8", "gb18030", "big5hkscs")
"""The encodings almost every Chinese page is in; detection compares these first."""

_ASCII_INCOMPATIBLE = ("utf-16", "utf-32", "utf-7")
"""Codecs a page cannot declare in its own markup: the declaration was found as ASCII bytes,
which these encodings do not have (browsers read a ``utf-16`` meta as UTF-8 for that reason)."""

_MULTIBYTE = frozenset({"utf-8", "gb18030", "big5hkscs", "gbk", "big5", "euc_jp", "shift_jis"})

_DECLARATION_PATTERNS = (
    # <meta charset="gbk">, <meta http-equiv="Content-Type" content="text/html; charset=gb2312">
    re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I),
    # <?xml version="1.0" encoding="GBK"?>
    re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""", re.I),
    # Sogou-style crawler wrapper: <text id="..." encoding="gb2312">
    re.compile(rb"""<text\b[^>]{0,2000}?\bencoding\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.I),
)

_CONTROL_BYTES = bytes([*range(0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
"""C0 control bytes that text never holds (tab, newlines, form feed and escape excepted)."""

BINARY_CONTROL_SHARE = 0.05
"""Random binary has about 11% control bytes; text has none, or a stray few in spam pages."""

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"\x7fELF", "an ELF executable"),
    (b"RIFF", "a RIFF media file"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with the decision that produced it."""

    text: str
    encoding: Encoding


def normalize_label(label: str) -> str | None:
    """Map a declared charset label to the Python codec pagetidy uses, or None if unknown."""
    key = label.strip().strip("\"'").lower()
    if key in _LABEL_ALIASES:
        return _LABEL_ALIASES[key]
    try:
        name = codecs.lookup(key).name
    except (LookupError, ValueError):  # ValueError: a NUL in the label (a WARC header's charset)
        return None
    return _LABEL_ALIASES.get(name, name)


def decode(data: bytes, *, http_charset: str | None = None, forced: str | None = None) -> Decoded:
    """Decode ``data`` to text; raise ``InputError`` for non-text input, never decode silently."""
    if not data or data.isspace():  # as ``not data.strip()``, without copying the page
        raise InputError("empty input: no bytes to clean")
    bom = _decode_bom(data)
    if bom is not None:
        return bom
    if forced:
        codec = _require_codec(forced)
        text, replaced = _lenient(data, codec)
        note = f"forced by the caller as {forced}"
        if codec != forced:
            note += f", read as {codec}"
        return Decoded(text, Encoding(codec, "caller", forced, replaced, note))
    _reject_binary(data)
    utf16 = _sniff_utf16(data)
    if utf16 is not None:
        return utf16
    if http_charset:
        http_codec = normalize_label(http_charset)
        if http_codec is not None:
            strict = _accept(data, http_codec)
            if strict is not None:
                note = f"HTTP charset {http_charset}" + _read_as(http_charset, http_codec)
                return Decoded(strict, Encoding(http_codec, "caller", http_charset, 0, note))
    declared = declared_charset(data)
    if declared is not None:
        declared_codec = normalize_label(declared)
        if declared_codec is not None and not declared_codec.startswith(_ASCII_INCOMPATIBLE):
            strict = _accept(data, declared_codec)
            if strict is not None:
                note = f"declared {declared}" + _read_as(declared, declared_codec)
                return Decoded(strict, Encoding(declared_codec, "declared", declared, 0, note))
    return _detect(data, declared or http_charset)


def declared_charset(data: bytes) -> str | None:
    """The first charset the page declares in its first 64 KiB, or None."""
    head = data[:DECLARATION_WINDOW]
    found: list[tuple[int, str]] = []
    for pattern in _DECLARATION_PATTERNS:
        match = pattern.search(head)
        if match:
            found.append((match.start(), match.group(1).decode("ascii")))
    return min(found)[1] if found else None


def _accept(data: bytes, codec: str) -> str | None:
    """The strict decode of ``data`` when a stated charset is believable, else None."""
    strict = _strict(data, codec)
    if strict is None or not _plausible(data, codec) or _utf8_instead(data, codec):
        return None
    return strict


def _read_as(label: str, codec: str) -> str:
    if normalize_label(label) == codec and label.lower().replace("_", "-") in {codec, "utf-8"}:
        return ""
    if codec == "gb18030":
        return " read as gb18030 (browsers read every GB label as its superset)"
    if codec == "big5hkscs":
        return " read as big5hkscs (the superset browsers use)"
    return f" read as {codec}"


def _decode_bom(data: bytes) -> Decoded | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, replaced = _lenient(data[len(bom) :], codec)
            note = f"byte-order mark for {codec}"
            return Decoded(text, Encoding(codec, "bom", None, replaced, note))
    return None


def _reject_binary(data: bytes) -> None:
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"binary input ({what}) is not a web page")
    sample = data[:4096]
    if _sniff_utf16(data) is not None:
        return
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > len(sample) * BINARY_CONTROL_SHARE:
        raise InputError(
            f"binary input ({controls} control bytes in the first {len(sample)}) is not a page"
        )


UTF16_MIN_NULS = 4
"""A stray NUL or two in a short UTF-8 page is no evidence of UTF-16 (``<p>hi</p>`` in UTF-16
already has nine)."""


def _sniff_utf16(data: bytes) -> Decoded | None:
    """UTF-16 without a BOM: ASCII markup leaves a NUL in every other byte.

    Chinese text leaves no NUL, so a page of mostly hanzi has NULs only at its markup; what
    tells UTF-16 from binary is that they all fall on one parity and the sample decodes.
    """
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    layouts = (("utf-16-le", odd_nul, even_nul), ("utf-16-be", even_nul, odd_nul))
    for codec, nul_count, other in layouts:
        if nul_count < UTF16_MIN_NULS:
            continue
        one_parity = nul_count > half * 0.05 and other <= nul_count * 0.02
        if (nul_count > half * 0.3 and other < half * 0.05) or (
            one_parity and _strict_utf16(sample, codec)
        ):
            text, replaced = _lenient(data, codec)
            note = f"{codec} without a byte-order mark (NUL in every other byte)"
            return Decoded(text, Encoding(codec, "detected", None, replaced, note))
    return None


def _strict_utf16(sample: bytes, codec: str) -> bool:
    """Whether the sample is valid UTF-16 (a pair cut at the sample's end is no error)."""
    try:
        codecs.getincrementaldecoder(codec)(errors="strict").decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _require_codec(label: str) -> str:
    codec = normalize_label(label)
    if codec is None:
        raise DecodeError(f"unknown encoding {label!r}")
    return codec


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError):  # UTF-32 without a BOM raises a bare UnicodeError
        return None


def _lenient(data: bytes, codec: str) -> tuple[str, int]:
    try:
        text = data.decode(codec, errors="replace")
    except UnicodeError as error:  # a stream error that errors="replace" does not cover
        raise DecodeError(f"cannot decode the input as {codec}: {error}") from error
    return text, text.count("\ufffd") - _count_fffd_bytes(data, codec)


def _count_fffd_bytes(data: bytes, codec: str) -> int:
    """U+FFFD characters genuinely present in the input (encoded), not inserted by the decode."""
    try:
        return data.count("\ufffd".encode(codec))
    except (UnicodeEncodeError, LookupError):
        return 0


def _plausible(data: bytes, codec: str) -> bool:
    """A declared single-byte charset on bytes that are valid UTF-8 or GB18030 Chinese is a lie."""
    if codec in _MULTIBYTE or data.isascii():
        return True
    return all(_strict_prefix(data, candidate) is None for candidate in _CANDIDATES)


def _utf8_instead(data: bytes, codec: str) -> bool:
    """Non-ASCII bytes that are valid UTF-8 are UTF-8, whatever a legacy label says.

    Legacy multi-byte text is almost never valid UTF-8 by chance, while GB18030 accepts most
    UTF-8 byte pairs and would turn a mislabelled UTF-8 page into mojibake without an error.
    """
    if codec == "utf-8" or data.isascii():
        return False
    return _strict_prefix(data, "utf-8") is not None


def _detect(data: bytes, declared: str | None) -> Decoded:
    sample = data[:DETECTION_SAMPLE]
    candidates = list(_CANDIDATES)
    guess = from_bytes(sample[:65536]).best()
    if guess is not None and guess.encoding:
        guessed = normalize_label(guess.encoding)
        if guessed and guessed not in candidates:
            candidates.append(guessed)
    declared_codec = normalize_label(declared) if declared else None
    if declared_codec and declared_codec not in candidates:
        candidates.append(declared_codec)

    best: tuple[float, str] | None = None
    for codec in candidates:
        try:
            text = codecs.getincrementaldecoder(codec)(errors="replace").decode(
                sample, final=len(data) <= DETECTION_SAMPLE
            )
        except UnicodeError:  # e.g. UTF-32 without a BOM: not a candidate
            continue
        score = _score(text) - 5.0 * text.count("\ufffd") / max(len(text), 1)
        if codec == declared_codec:
            score += 0.01  # a tie goes to what the page said
        if best is None or score > best[0]:
            best = (score, codec)
    if best is None:  # pragma: no cover - _CANDIDATES is never empty
        raise DecodeError("no candidate encoding")
    codec = best[1]
    text, replaced = _lenient(data, codec)
    if declared:
        note = f"declared {declared} did not decode cleanly; detected {codec}"
    else:
        note = f"no usable declaration; detected {codec}"
    if replaced:
        note += f" with {replaced} undecodable byte sequence(s) replaced by U+FFFD"
    return Decoded(text, Encoding(codec, "detected", declared, replaced, note))


def _strict_prefix(data: bytes, codec: str) -> str | None:
    """Strictly decode the detection sample; a sequence cut at the sample's end is no error."""
    sample = data[:DETECTION_SAMPLE]
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    try:
        return decoder.decode(sample, final=len(data) <= DETECTION_SAMPLE)
    except UnicodeError:
        return None


_ASCII_RUN = re.compile("[\x00-\x7f]+")

SCORE_SAMPLE_CHARS = 20_000
"""Non-ASCII characters compared per candidate: plenty to tell text from mojibake."""


def _score(text: str) -> float:
    """Share of the non-ASCII characters that are common hanzi or CJK punctuation."""
    wide = _ASCII_RUN.sub("", text)[:SCORE_SAMPLE_CHARS]
    if not wide:
        return 1.0
    return sum(map(common_characters().__contains__, wide)) / len(wide)


@lru_cache(maxsize=1)
def common_characters() -> frozenset[str]:
    """GB2312 level-1 hanzi, Big5 level-1 hanzi and common CJK punctuation, built from the codecs.

    Level 1 of each standard is its frequency-ordered core (3,755 and 5,401 characters); real
    Chinese text is more than 95% made of them, mojibake is not.
    """
    chars: set[str] = set("，。、；：？！“”‘’（）《》【】—…·「」『』　")
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for code in range(0xA440, 0xC67F):
        high, low = divmod(code, 256)
        if not (0x40 <= low <= 0x7E or 0xA1 <= low <= 0xFE):
            continue
        try:
            chars.add(bytes((high, low)).decode("big5"))
        except UnicodeDecodeError:
            continue
    return frozenset(chars)
