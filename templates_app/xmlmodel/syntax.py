"""libxml2's well-formedness errors, told the way an admin fixing a template needs them.

libxml2 reports the point where it gave up ("EntityRef: expecting ';'" three characters
after the real mistake). We take its first error only — later ones are consequences —
find what it was looking at (which element, which attribute, inside the value or not)
by reading the text just before that point, move the position to the character that
is actually wrong (the bare "&", the stray quote, the unmatched closing tag) and say
what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .errors import Problem
from .positions import SourceText

_NAME = re.compile(r"<([^\s/>!?<]*)")
_ATTR_NAME = re.compile(r"""\s*([^\s=/>"'<]+)""")
_EQUALS = re.compile(r"\s*=\s*")
_HTML_ENTITIES = {"nbsp", "copy", "reg", "trade", "hellip", "mdash", "ndash", "laquo", "raquo", "euro", "pound"}


@dataclass
class _Context:
    """What the parser was reading at the error."""

    tag: str = ""  # element name of the tag being read / whose content we are in
    attribute: str = ""  # attribute being read (name or value)
    in_value: bool = False
    value_start: int = -1  # offset just after the opening quote
    prev_quote: int = -1  # offset of the closing quote of the last complete attribute
    tag_start: int = -1  # offset of "<"
    in_tag: bool = False  # inside the start tag itself (not in content after it)


def _context(text: str, offset: int) -> _Context:
    lt = text.rfind("<", 0, offset)
    if lt < 0:
        return _Context()
    name = _NAME.match(text, lt)
    ctx = _Context(tag=name.group(1) if name else "", tag_start=lt)
    if lt + 1 < len(text) and text[lt + 1] in "/!?":
        ctx.tag = ""  # end tag, comment or declaration: no element to name
        return ctx
    pos = name.end() if name else lt + 1
    ctx.in_tag = True
    while pos < offset:
        m = _ATTR_NAME.match(text, pos)
        if m is None:
            break
        ctx.attribute, pos = m.group(1), m.end()
        eq = _EQUALS.match(text, pos)
        if eq is None or eq.end() >= offset:
            return ctx
        pos = eq.end()
        quote = text[pos]
        if quote not in "\"'":
            return ctx
        close = text.find(quote, pos + 1)
        if close < 0 or close >= offset:
            ctx.in_value, ctx.value_start = True, pos + 1
            return ctx
        ctx.prev_quote, pos = close, close + 1
    end = text.find(">", pos, offset)
    if end >= 0:
        # Past the start tag: in the element's content (or its parent's, after "/>").
        ctx.in_tag, ctx.attribute = False, ""
        if text[end - 1] == "/":
            ctx.tag = ""
    return ctx


def _where(ctx: _Context, attribute: str | None = None) -> str:
    attr = ctx.attribute if attribute is None else attribute
    if ctx.tag and attr:
        return f"in <{ctx.tag}> attribute {attr}: "
    if ctx.tag and ctx.in_tag:
        return f"in <{ctx.tag}>: "
    if ctx.tag:
        return f"in the text of <{ctx.tag}>: "
    return ""


def _first_error(log: etree._ListErrorLog) -> etree._LogEntry | None:
    for entry in log:
        if entry.level >= etree.ErrorLevels.ERROR:
            return entry
    return None


def translate(err: etree.XMLSyntaxError, log: etree._ListErrorLog, source: SourceText) -> Problem:
    """One admin-friendly Problem for a parse failure."""
    entry = _first_error(log)
    if entry is not None:
        kind, line, col, message = entry.type_name, entry.line, entry.column, entry.message.strip()
    else:
        kind, message = "", str(err.msg or err)
        line, col = err.position if err.position else (1, 1)
    text = source.text
    offset = source.offset(max(line, 1), max(col, 1))
    ctx = _context(text, offset)
    at, what = _explain(kind, message, offset, ctx, source)
    line, col = source.line_col(at)
    return Problem(line, col, what, element=ctx.tag, attribute=ctx.attribute if ctx.in_tag else "")


def _explain(kind: str, message: str, offset: int, ctx: _Context, source: SourceText) -> tuple[int, str]:
    """(offset to report, message) for one libxml2 error."""
    text = source.text

    if kind in ("ERR_ENTITYREF_SEMICOL_MISSING", "ERR_UNDECLARED_ENTITY") or (
        kind == "ERR_NAME_REQUIRED" and "EntityRef" in message
    ):
        low = ctx.value_start if ctx.in_value else max(ctx.tag_start, 0)
        amp = text.rfind("&", low, offset + 1)
        at = amp if amp >= 0 else offset
        ref = re.match(r"&([A-Za-z_][\w.-]*);", text[at:at + 40])
        if kind == "ERR_UNDECLARED_ENTITY" and ref:
            name = ref.group(1)
            if name in _HTML_ENTITIES:
                return at, (f'{_where(ctx)}"&{name};" is an HTML entity, which XML does not know; write the '
                            "character itself or a numeric reference such as &#160;")
            return at, (f'{_where(ctx)}unknown entity "&{name};": XML only knows &amp; &lt; &gt; &quot; &apos; '
                        f'and &#NN;; if the "&" is meant literally (e.g. in a URL), write &amp;{name};')
        return at, f'{_where(ctx)}a bare "&" is not allowed in XML; write & as &amp;'

    if kind == "ERR_LT_IN_ATTRIBUTE":
        return offset, f'{_where(ctx)}a bare "<" is not allowed in an attribute value; write < as &lt;'

    if kind == "ERR_TAG_NAME_MISMATCH":
        m = re.search(r"mismatch: (\S+) line (\d+) and (\S+)", message)
        close = text.rfind("</", 0, offset)
        at = close if close >= 0 else offset
        if m:
            opened, line, closed = m.groups()
            return at, (f"closing tag </{closed}> does not match the open element <{opened}> from line {line}; "
                        f"close <{opened}> first with </{opened}>, or fix the tag name")
        return at, "a closing tag does not match the element it closes; check the tag names"

    if kind == "ERR_TAG_NOT_FINISHED":
        m = re.search(r"in tag (\S+) line (\d+)", message)
        if m:
            name, line = m.group(1), int(m.group(2))
            start = source.offset(line, 1)
            found = re.compile(r"<" + re.escape(name) + r"(?=[\s/>])").search(text, start)
            at = found.start() if found else start
            return at, (f"element <{name}> is never closed; add </{name}> at the end of its content "
                        '(or end the tag with "/>" if it has none)')
        return offset, "the file ends before all elements are closed; add the missing closing tags"

    if kind == "ERR_ATTRIBUTE_NOT_STARTED":
        return offset, f'{_where(ctx)}the value must be in quotes; write {ctx.attribute or "Name"}="…"'

    if kind == "ERR_ATTRIBUTE_NOT_FINISHED":
        at = ctx.value_start - 1 if ctx.in_value else offset
        return at, f"{_where(ctx)}this value is never closed; add the closing quote"

    if kind == "ERR_ATTRIBUTE_WITHOUT_VALUE":
        m = re.search(r"attribute (\S+)", message)
        name = m.group(1) if m else ctx.attribute
        return offset, f'{_where(ctx, name)}the attribute has no value; write {name}="…"'

    if kind == "ERR_ATTRIBUTE_REDEFINED":
        m = re.search(r"Attribute (\S+) redefined", message)
        name = m.group(1) if m else ctx.attribute
        at = offset
        if m and ctx.tag_start >= 0:
            spots = [a.start(1) for a in re.finditer(r"\s(" + re.escape(name) + r")\s*=", text[:offset])
                     if a.start() >= ctx.tag_start]
            at = spots[-1] if spots else offset
        return at, f"{_where(ctx, name)}the attribute is written twice in this element; keep only one"

    if kind in ("ERR_SPACE_REQUIRED", "ERR_GT_REQUIRED") and ctx.in_tag and ctx.tag:
        if ctx.prev_quote >= 0 and ctx.prev_quote == offset - 1 and offset < len(text) and not text[offset].isspace():
            q = text[ctx.prev_quote]
            ref = "&quot;" if q == '"' else "&apos;"
            return ctx.prev_quote, (f"{_where(ctx)}a bare {q} ends this value too early; inside a value "
                                    f"quoted with {q} write {q} as {ref}")
        if "Couldn't find end of Start Tag" in message:
            return offset, f'{_where(ctx, "")}the start tag is not finished; end it with ">" or "/>"'
        return offset, (f'{_where(ctx, "")}expected a space, "/>" or ">" here; write attributes as '
                        'Name="value" separated by spaces')

    if kind == "ERR_GT_REQUIRED":
        return offset, 'the closing tag is not finished; write it as </Name> with a ">"'

    if kind == "ERR_NAME_REQUIRED" and "attribute name" in message:
        return offset, f'{_where(ctx, "")}expected an attribute (Name="value"), "/>" or ">" here'

    if kind == "ERR_NAME_REQUIRED" and "StartTag" in message:
        at = text.rfind("<", 0, offset)
        return (at if at >= 0 else offset), ('a "<" must start a tag name (a letter or "_"); '
                                             "if you meant a literal <, write &lt;")

    if kind == "ERR_DOCUMENT_EMPTY":
        if "empty" in message.lower():
            return 0, "the template is empty; it must contain an <Information …> root element"
        return offset, ("expected the <Information …> root element here (optionally after an "
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?> declaration)")

    if kind == "ERR_DOCUMENT_END":
        return offset, ("there is content after the root element has ended; a template has exactly one "
                        "root element, <Information>, and only comments may follow it")

    if kind == "ERR_INVALID_CHAR":
        m = re.search(r"value (\d+)", message) or re.search(r"0x([0-9A-Fa-f]+)", message)
        if m:
            code = int(m.group(1)) if m.re.pattern.startswith("value") else int(m.group(1), 16)
        else:
            code = ord(text[offset]) if offset < len(text) else 0
        return offset, (f"{_where(ctx)}character U+{code:04X} is not allowed in XML (control characters "
                        "cannot appear in a template, not even as &#NN;); remove it")

    if kind == "ERR_COMMENT_NOT_FINISHED":
        at = text.rfind("<!--", 0, offset)
        return (at if at >= 0 else offset), 'this comment is never closed; end it with "-->"'
    if kind == "ERR_HYPHEN_IN_COMMENT":
        at = text.find("--", text.rfind("<!--", 0, offset) + 4)
        return (at if 0 <= at <= offset else offset), '"--" is not allowed inside a comment; use a single "-"'
    if kind == "ERR_CDATA_NOT_FINISHED":
        return offset, 'this <![CDATA[ section is never closed; end it with "]]>"'
    if kind == "ERR_PI_NOT_FINISHED":
        return offset, 'this <? … ?> instruction is never closed; end it with "?>"'

    if kind == "ERR_RESERVED_XML_NAME":
        at = text.rfind("<?", 0, offset)
        return (at if at >= 0 else offset), ("the <?xml …?> declaration must be the very first thing in the "
                                             "file; remove the blank lines or text before it")
    if "XMLDECL" in kind or "VERSION" in kind or "ENCODING" in kind or "XML declaration" in message:
        return offset, 'the <?xml …?> declaration is malformed; write <?xml version="1.0" encoding="UTF-8"?>'

    if kind == "ERR_RESOURCE_LIMIT" or "depth" in message.lower():
        return offset, "elements are nested too deeply (more than 256 levels); a template needs only a few"

    if kind.startswith("NS_ERR"):
        m = re.search(r"prefix (\S+) on (\S+)", message)
        if m:
            prefix, name = m.groups()
            tag = text.rfind(f"<{prefix}:{name}", 0, offset + 1)
            return (tag if tag >= 0 else offset), (f'the prefix "{prefix}:" of <{prefix}:{name}> is not declared; template elements '
                            f'have plain names — remove "{prefix}:" or declare xmlns:{prefix}')
        return offset, f"namespace error: {message}"

    return offset, f"{_where(ctx)}the XML is not well-formed here ({message}); check the markup at this point"
