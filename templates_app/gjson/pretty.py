"""tidwall/pretty's Pretty and Ugly, as used by @pretty and @ugly.

Pretty works on UTF-8 bytes because its one-line-array rule measures line
widths in bytes.  Both reproduce the library's output on malformed input too.
"""

from __future__ import annotations

import re

_UGLY_TOKEN = re.compile(r'"[^"\\]*+(?:\\[\s\S][^"\\]*+)*+"?|[^\x00-\x20"]++')
_NUMBER = re.compile(rb"[^\x00-\x20,:\]}]*+")


_BLANKS = re.compile(r"[\x00-\x20]++")
_BLANK = re.compile(r"[\x00-\x20]")


def ugly(s: str) -> str:
    """pretty.Ugly: drop bytes <= ' ' outside strings."""
    if _BLANK.search(s) is None:
        return s  # compact already (the usual API answer)
    if "\\" in s:
        return "".join(_UGLY_TOKEN.findall(s))
    # no escapes: the text between quotes alternates outside and inside
    # strings (an unterminated string runs to the end, as the tokens read it)
    parts = s.split('"')
    outside = '"'.join(parts[0::2]).replace(" ", "").replace("\n", "").replace("\t", "").replace("\r", "")
    if _BLANKS.search(outside) is not None:
        outside = _BLANKS.sub("", outside)  # other control characters
    parts[0::2] = outside.split('"')
    return '"'.join(parts)


class Options:
    __slots__ = ("width", "prefix", "indent", "sort_keys")

    def __init__(self) -> None:
        self.width = 80
        self.prefix = ""
        self.indent = "  "
        self.sort_keys = False


def pretty(s: str, opts: Options | None = None) -> str:
    """pretty.PrettyOptions."""
    if opts is None:
        opts = Options()
    p = _Pretty(s.encode("utf-8", "surrogatepass"), opts)
    buf = p.buf
    buf += p.prefix
    p.any(0, True, opts.width, p.indent, opts.sort_keys, 0, 0, -1)
    if buf:
        buf += b"\n"
    return bytes(buf).decode("utf-8", "replace")


class _Pretty:
    def __init__(self, js: bytes, opts: Options) -> None:
        self.js = js
        self.buf = bytearray()
        self.prefix = opts.prefix.encode("utf-8", "surrogatepass")
        self.indent = opts.indent.encode("utf-8", "surrogatepass")

    def tabs(self, indent: bytes, tabs: int) -> None:
        self.buf += self.prefix
        self.buf += indent * tabs

    def string(self, i: int) -> int:
        js = self.js
        s = i
        i += 1
        n = len(js)
        while i < n:
            if js[i] == 0x22:
                j = i - 1
                while j > s and js[j] == 0x5C:
                    j -= 1
                if (i - 1 - j) % 2 == 0:
                    i += 1
                    break
            i += 1
        self.buf += js[s:i]
        return i

    def any(self, i: int, pretty: bool, width: int, indent: bytes, sortkeys: bool,
            tabs: int, nl: int, max_: int) -> tuple[int, int, bool]:
        js = self.js
        n = len(js)
        while i < n:
            c = js[i]
            if c <= 0x20:
                i += 1
                continue
            if c == 0x22:
                return self.string(i), nl, True
            if 0x30 <= c <= 0x39 or c == 0x2D:
                end = _NUMBER.match(js, i + 1).end()
                self.buf += js[i:end]
                return end, nl, True
            if c == 0x7B:
                return self.object(i, 0x7B, 0x7D, pretty, width, indent, sortkeys, tabs, nl, max_)
            if c == 0x5B:
                return self.object(i, 0x5B, 0x5D, pretty, width, indent, sortkeys, tabs, nl, max_)
            if c == 0x74:
                self.buf += b"true"
                return i + 4, nl, True
            if c == 0x66:
                self.buf += b"false"
                return i + 5, nl, True
            if c == 0x6E:
                self.buf += b"null"
                return i + 4, nl, True
            i += 1
        return i, nl, True

    def object(self, i: int, open_: int, close: int, pretty: bool, width: int, indent: bytes,
               sortkeys: bool, tabs: int, nl: int, max_: int) -> tuple[int, int, bool]:
        buf = self.buf
        js = self.js
        if width > 0:
            if pretty and open_ == 0x5B and max_ == -1:
                # first try to fit the whole array on the current line
                room = width - (len(buf) - nl)
                if room > 3:
                    s1, s2 = len(buf), i
                    i, _, ok = self.object(i, 0x5B, 0x5D, False, width, b"", sortkeys, 0, 0, room)
                    if ok and len(buf) - s1 <= room:
                        return i, nl, True
                    del buf[s1:]
                    i = s2
            elif max_ != -1 and open_ == 0x7B:
                return i, nl, False
        buf.append(open_)
        i += 1
        pairs: list[tuple[bytes, int, int]] = []
        count = 0
        n = len(js)
        while i < n:
            c = js[i]
            if c <= 0x20:
                i += 1
                continue
            if c == close:
                if pretty:
                    if open_ == 0x7B and sortkeys and pairs:
                        ordered = sorted(pairs, key=lambda p: p[0])
                        vstart = pairs[0][1]
                        chunks = [bytes(buf[p[1] : p[2]]) for p in ordered]
                        del buf[vstart:]
                        buf += b",\n".join(chunks)
                    if count > 0:
                        nl = len(buf)
                        if buf[nl - 1] == 0x20:
                            buf[nl - 1] = 0x0A
                        else:
                            buf.append(0x0A)
                    if buf[-1] != open_:
                        self.tabs(indent, tabs)
                buf.append(close)
                return i + 1, nl, open_ != 0x7B
            if open_ == 0x5B or c == 0x22:
                if count > 0:
                    buf.append(0x2C)
                    if width != -1 and open_ == 0x5B:
                        buf.append(0x20)
                kstart = vstart = kend = 0
                if pretty:
                    nl = len(buf)
                    if buf[nl - 1] == 0x20:
                        buf[nl - 1] = 0x0A
                    else:
                        buf.append(0x0A)
                    if open_ == 0x7B and sortkeys:
                        kstart = i
                        vstart = len(buf)
                    self.tabs(indent, tabs + 1)
                if open_ == 0x7B:
                    i = self.string(i)
                    kend = i
                    buf.append(0x3A)
                    if pretty:
                        buf.append(0x20)
                i, nl, ok = self.any(i, pretty, width, indent, sortkeys, tabs + 1, nl, max_)
                if max_ != -1 and not ok:
                    return i, nl, False
                if pretty and open_ == 0x7B and sortkeys:
                    vend = len(buf)
                    if kstart > kend or vstart > vend:
                        sortkeys = False
                    else:
                        pairs.append((js[kstart + 1 : kend - 1], vstart, vend))
                count += 1
                continue
            i += 1
        return i, nl, open_ != 0x7B
