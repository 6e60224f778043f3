"""Bytes -> text, and the checks that must happen before any XML parser sees the text.

Order matters for safety and cost: the size limit is checked first (a length check,
nothing decoded), then the encoding, then DOCTYPE/entity declarations are refused by
a plain scan, so libxml2 never even reads a DTD.
"""

from __future__ import annotations

import codecs
import re

from .errors import Problem, TemplateXMLError
from .limits import MAX_TEMPLATE_BYTES
from .positions import line_col

# The encodings a template may declare: the ones XML files are really written in. Any
# other Python codec is refused by name, not tried: some (punycode, idna, utf-7) take
# quadratic time or fail in odd ways on a megabyte of text.
XML_ENCODINGS = frozenset(
    ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii"]
    + [f"iso8859-{n}" for n in range(1, 17) if n != 12]
    + [f"cp{n}" for n in range(1250, 1259)]
)
_ENCODING_NAMES = "UTF-8, UTF-16, US-ASCII, ISO-8859-1 … ISO-8859-16 or windows-1250 … windows-1258"

_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_XML_11 = re.compile(r"""^<\?xml\s+version\s*=\s*(["'])1\.1\1""")
# "<!" starts a comment, CDATA or a declaration; only declarations are refused. Comments
# and CDATA are matched whole so a "<!DOCTYPE" written inside them is not mistaken.
_MARKUP_DECL = re.compile(r"<!(?:--.*?-->|\[CDATA\[.*?\]\]>|([A-Za-z]+))", re.S)


def _too_big(size: int) -> TemplateXMLError:
    return TemplateXMLError([Problem(
        1, 1,
        f"the template is {size:,} bytes; a template must be less than 1 MB (at most "
        f"{MAX_TEMPLATE_BYTES:,} bytes) — remove unused scenarios or shorten bodies",
    )])


def decode(data: bytes | str) -> str:
    """The template text, newline-normalised; raises TemplateXMLError for size/encoding."""
    if isinstance(data, str):
        # Cheap bounds first: a char is 1..4 UTF-8 bytes; encode only when it matters.
        if len(data) > MAX_TEMPLATE_BYTES or (
            len(data) * 4 > MAX_TEMPLATE_BYTES and len(data.encode("utf-8", "surrogatepass")) > MAX_TEMPLATE_BYTES
        ):
            raise _too_big(len(data.encode("utf-8", "surrogatepass")))
        text = data
    elif isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if len(raw) > MAX_TEMPLATE_BYTES:
            raise _too_big(len(raw))
        text = _decode_bytes(raw)
    else:
        raise TypeError(f"a template is bytes or str, not {type(data).__name__}")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        # XML reads CR LF and lone CR as LF; doing it here keeps our line numbers and
        # libxml2's identical.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode_bytes(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
        declared = _DECLARED_ENCODING.match(raw)
        if declared:
            name = declared.group(1).decode("ascii", "replace")
            try:
                encoding = codecs.lookup(name).name
            except LookupError:
                encoding = ""
            if encoding not in XML_ENCODINGS:
                known = "unknown" if not encoding else "unsupported"
                raise TemplateXMLError([Problem(
                    1, declared.start(1) + 1,
                    f'in the <?xml?> declaration: {known} encoding "{name}" (a template may be written in '
                    f'{_ENCODING_NAMES}); save the file as UTF-8 and write encoding="UTF-8"',
                    attribute="encoding",
                )])
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        try:
            before = raw[: err.start].decode(encoding, "replace")
        except (UnicodeError, ValueError, LookupError):
            raise _undecodable(encoding) from None
        line, col = line_col(before, len(before))
        byte = raw[err.start] if err.start < len(raw) else 0
        raise TemplateXMLError([Problem(
            line, col,
            f"the file is not valid {encoding.upper()} (byte 0x{byte:02X} here cannot be decoded); "
            "save the template as UTF-8, or declare its real encoding in <?xml … encoding=\"…\"?>",
        )]) from None
    except (UnicodeError, ValueError, LookupError):  # codecs such as idna fail in their own ways
        raise _undecodable(encoding) from None


def _undecodable(encoding: str) -> TemplateXMLError:
    return TemplateXMLError([Problem(
        1, 1, f"the file cannot be read as {encoding.upper()}; save the template as UTF-8",
    )])


def refuse_declarations(text: str) -> None:
    """Refuse DOCTYPE / ENTITY / other markup declarations before parsing.

    Templates never need a DTD, and a DTD is how XML bombs (entity expansion) and
    external-entity reads (file:///etc/passwd) get in; refusing it outright, instead
    of trusting parser settings alone, keeps the rule simple to state and to test.
    """
    for m in _MARKUP_DECL.finditer(text):
        keyword = m.group(1)
        if keyword is None:
            continue
        line, col = line_col(text, m.start())
        raise TemplateXMLError([Problem(
            line, col,
            f"<!{keyword} …> declarations are not allowed in a template (DTDs and entities are never "
            "loaded); remove it and write special characters as &amp; &lt; &gt; &quot; &apos; or &#NN;",
            element=f"!{keyword}",
        )])


def utf8_for_parser(text: str) -> bytes:
    """The text as UTF-8 for libxml2, with a ``version="1.1"`` declaration read as 1.0."""
    try:
        return xml_10(text).encode("utf-8")
    except UnicodeEncodeError as err:  # a lone surrogate: only possible in str input
        line, col = line_col(text, err.start)
        raise TemplateXMLError([Problem(
            line, col, f"character U+{ord(text[err.start]):04X} (a lone surrogate) is not text; remove it",
        )]) from None


def xml_10(text: str) -> str:
    """Rewrite a ``version="1.1"`` declaration to 1.0 for libxml2 (same length, so every
    line:col stays the same). See the package docstring for why that is safe."""
    m = _XML_11.match(text)
    if m is None:
        return text
    at = m.end() - 4  # the "1.1" before the closing quote
    return text[:at] + "1.0" + text[at + 3:]
