"""The parts of Go's strconv the template language leans on.

Number literals follow ParseInt/ParseUint/ParseFloat with base 0 (prefixes, ``_``
separators, hex floats); string literals follow Unquote, where ``\\x`` escapes are raw
bytes; floats are formatted as AppendFloat does, shortest digits included.
"""

from __future__ import annotations

import math
import struct

from ..gonumber import underscore_ok as _underscore_ok
from .values import from_bytes, to_bytes

MAX_UINT64 = (1 << 64) - 1
MIN_INT64 = -(1 << 63)
MAX_INT64 = (1 << 63) - 1


class SyntaxErr(ValueError):
    """strconv.ErrSyntax."""


class RangeErr(ValueError):
    """strconv.ErrRange."""


def parse_uint(s: str, base: int = 0) -> int:
    """strconv.ParseUint(s, base, 64)."""
    if not s:
        raise SyntaxErr(s)
    s0 = s
    base0 = base == 0
    if base0:
        base = 10
        if s[0] == "0":
            if len(s) >= 3 and s[1].lower() == "b":
                base, s = 2, s[2:]
            elif len(s) >= 3 and s[1].lower() == "o":
                base, s = 8, s[2:]
            elif len(s) >= 3 and s[1].lower() == "x":
                base, s = 16, s[2:]
            else:
                base, s = 8, s[1:]
    n = 0
    underscores = False
    overflow = False
    for c in s:
        if c == "_" and base0:
            underscores = True
            continue
        if "0" <= c <= "9":
            d = ord(c) - 48
        elif "a" <= c.lower() <= "z" and c.isascii():
            d = ord(c.lower()) - 87
        else:
            raise SyntaxErr(s0)
        if d >= base:
            raise SyntaxErr(s0)
        # Once past 64 bits the value is only a range error: keep scanning for syntax
        # but stop multiplying, so a million-digit literal costs linear time, not quadratic.
        if not overflow:
            n = n * base + d
            if n > MAX_UINT64:
                overflow = True
    if underscores and not _underscore_ok(s0):
        raise SyntaxErr(s0)
    if overflow:
        raise RangeErr(s0)
    return n


def parse_int(s: str, base: int = 0) -> int:
    """strconv.ParseInt(s, base, 64)."""
    if not s:
        raise SyntaxErr(s)
    neg = False
    body = s
    if s[0] == "+":
        body = s[1:]
    elif s[0] == "-":
        neg, body = True, s[1:]
    try:
        u = parse_uint(body, base)
    except RangeErr:
        raise RangeErr(s) from None
    except SyntaxErr:
        raise SyntaxErr(s) from None
    if not neg and u > MAX_INT64:
        raise RangeErr(s)
    if neg and u > -MIN_INT64:
        raise RangeErr(s)
    return -u if neg else u


def parse_float(s: str) -> float:
    """strconv.ParseFloat(s, 64); a result out of range raises RangeErr."""
    low = s.lower()
    body = low[1:] if low[:1] in ("+", "-") else low
    if body in ("inf", "infinity"):
        return -math.inf if low[0] == "-" else math.inf
    if body == "nan":
        return math.nan
    i = 0
    n = len(s)
    if i < n and s[i] in "+-":
        i += 1
    hexa = False
    if i + 2 < n and s[i] == "0" and s[i + 1] in "xX":
        hexa = True
        i += 2
    underscores = False
    sawdot = sawdigits = False
    while i < n:
        c = s[i]
        if c == "_":
            underscores = True
        elif c == ".":
            if sawdot:
                break
            sawdot = True
        elif "0" <= c <= "9" or (hexa and c in "abcdefABCDEF"):
            sawdigits = True
        else:
            break
        i += 1
    if not sawdigits:
        raise SyntaxErr(s)
    exp_char = "p" if hexa else "e"
    if i < n and s[i].lower() == exp_char:
        i += 1
        if i >= n:
            raise SyntaxErr(s)
        if s[i] in "+-":
            i += 1
        if i >= n or not ("0" <= s[i] <= "9"):
            raise SyntaxErr(s)
        while i < n and ("0" <= s[i] <= "9" or s[i] == "_"):
            if s[i] == "_":
                underscores = True
            i += 1
    elif hexa:
        raise SyntaxErr(s)
    if i != n:
        raise SyntaxErr(s)
    if underscores and not _underscore_ok(s):
        raise SyntaxErr(s)
    clean = s.replace("_", "")
    try:
        v = float.fromhex(clean) if hexa else float(clean)
    except OverflowError:
        raise RangeErr(s) from None
    except ValueError:
        raise SyntaxErr(s) from None
    if math.isinf(v):
        raise RangeErr(s)
    return v


def _float_token(s: str, i: int) -> int:
    # fmt's floatToken: where a float read by Sscan stops.
    n = len(s)
    if i < n and s[i] in "+-":
        i += 1
    digits, exp = "0123456789_", "eEpP"
    if i + 1 < n and s[i] == "0" and s[i + 1] in "xX":
        i += 2
        digits, exp = "0123456789aAbBcCdDeEfF_", "pP"
    while i < n and s[i] in digits:
        i += 1
    if i < n and s[i] == ".":
        i += 1
        while i < n and s[i] in digits:
            i += 1
    if i < n and s[i] in exp:
        i += 1
        if i < n and s[i] in "+-":
            i += 1
        while i < n and s[i] in "0123456789_":
            i += 1
    return i


def _scan_float(tok: str) -> float:
    # fmt.convertFloat: a decimal mantissa may carry a binary exponent ("1p3" is 8).
    p = tok.find("p")
    if p >= 0 and not tok.lstrip("+-").lower().startswith("0x"):
        mant = parse_float(tok[:p])
        return math.ldexp(mant, parse_int(tok[p + 1 :], 10))
    return parse_float(tok)


def parse_complex(s: str) -> complex:
    """fmt.Sscan of a complex constant such as ``1+2i``."""
    i = _float_token(s, 0)
    real_tok = s[:i]
    if i >= len(s) or s[i] not in "+-":
        raise SyntaxErr(s)
    j = _float_token(s, i + 1)
    imag_tok = s[i:j]
    if s[j:] != "i":
        raise SyntaxErr(s)
    return complex(_scan_float(real_tok), _scan_float(imag_tok))


# ---------------------------------------------------------------------------
# Quoted literals

_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}


def unquote_char(s: str, i: int, quote: str) -> tuple[int, bool, int]:
    """strconv.UnquoteChar at s[i]: (value, is a multibyte rune, next index)."""
    if i >= len(s):
        raise SyntaxErr(s)
    c = s[i]
    if c == quote and quote in "'\"":
        raise SyntaxErr(s)
    if ord(c) >= 0x80:
        return ord(c), True, i + 1
    if c != "\\":
        return ord(c), False, i + 1
    if i + 1 >= len(s):
        raise SyntaxErr(s)
    c = s[i + 1]
    i += 2
    if c in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[c], False, i
    if c in "xuU":
        width = {"x": 2, "u": 4, "U": 8}[c]
        digits = s[i : i + width]
        if len(digits) < width or any(d not in "0123456789abcdefABCDEF" for d in digits):
            raise SyntaxErr(s)
        v = int(digits, 16)
        if c == "x":
            return v, False, i + width
        if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
            raise SyntaxErr(s)
        return v, True, i + width
    if "0" <= c <= "7":
        digits = s[i : i + 2]
        if len(digits) < 2 or any(not ("0" <= d <= "7") for d in digits):
            raise SyntaxErr(s)
        v = int(c + digits, 8)
        if v > 255:
            raise SyntaxErr(s)
        return v, False, i + 2
    if c in "'\"":
        if c != quote:
            raise SyntaxErr(s)
        return ord(c), False, i
    raise SyntaxErr(s)


def unquote(lit: str) -> str:
    """strconv.Unquote of a "..." or `...` literal; \\x escapes make raw bytes."""
    if len(lit) < 2 or lit[0] != lit[-1]:
        raise SyntaxErr(lit)
    quote = lit[0]
    body = lit[1:-1]
    if quote == "`":
        if "`" in body:
            raise SyntaxErr(lit)
        return body.replace("\r", "")
    if quote != '"':
        raise SyntaxErr(lit)
    if "\\" not in body and "\n" not in body and '"' not in body:
        return body
    out = bytearray()
    i = 0
    while i < len(body):
        if body[i] == "\n":
            raise SyntaxErr(lit)
        v, multibyte, i = unquote_char(body, i, '"')
        if v < 0x80 or not multibyte:
            out.append(v)
        else:
            out += chr(v).encode("utf-8", "surrogatepass")
    return from_bytes(bytes(out))


def _is_print(r: int) -> bool:
    # Go's IsPrint (letters, marks, numbers, punctuation, symbols, ASCII space) is
    # Python's isprintable: both leave out the C and Z categories but for ' '.
    if r > 0x10FFFF or 0xD800 <= r <= 0xDFFF:
        return False
    return chr(r).isprintable()


def is_print(r: int) -> bool:
    return _is_print(r)


_HEX = "0123456789abcdef"


def _escaped_rune(r: int, quote: str, ascii_only: bool) -> str:
    if r == ord(quote) or r == 92:
        return "\\" + chr(r)
    if ascii_only:
        if r < 0x80 and _is_print(r):
            return chr(r)
    elif _is_print(r):
        return chr(r)
    if r in (7, 8, 12, 10, 13, 9, 11):
        return {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}[r]
    if r < 0x20 or r == 0x7F:
        return "\\x" + _HEX[r >> 4] + _HEX[r & 0xF]
    if r > 0x10FFFF or 0xD800 <= r <= 0xDFFF:
        r = 0xFFFD
    if r < 0x10000:
        return f"\\u{r:04x}"
    return f"\\U{r:08x}"


def quote(s: str, ascii_only: bool = False) -> str:
    """strconv.Quote (or QuoteToASCII) of the Go string ``s`` stands for."""
    if s.isascii() and s.isprintable() and '"' not in s and "\\" not in s:
        return f'"{s}"'  # nothing to escape: the common case, and a long literal's error message
    out = ['"']
    for ch in from_bytes(to_bytes(s)) if not s.isascii() else s:
        c = ord(ch)
        if 0xDC80 <= c <= 0xDCFF:
            out.append("\\x" + _HEX[(c - 0xDC00) >> 4] + _HEX[c & 0xF])
        else:
            out.append(_escaped_rune(c, '"', ascii_only))
    out.append('"')
    return "".join(out)


def quote_rune(r: int, ascii_only: bool = False) -> str:
    """strconv.QuoteRune (or QuoteRuneToASCII)."""
    if r < 0 or r > 0x10FFFF or 0xD800 <= r <= 0xDFFF:
        r = 0xFFFD
    return "'" + _escaped_rune(r, "'", ascii_only) + "'"


def can_backquote(s: str) -> bool:
    """strconv.CanBackquote."""
    for ch in from_bytes(to_bytes(s)) if not s.isascii() else s:
        c = ord(ch)
        if c >= 0x80:
            if c == 0xFEFF or 0xDC80 <= c <= 0xDCFF:
                return False
            continue
        if (c < 0x20 and c != 9) or c == 0x60 or c == 0x7F:
            return False
    return True


# ---------------------------------------------------------------------------
# Floats


def shortest_digits(f: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of abs(f) and the point position (0.DIGITS × 10^dp)."""
    if f == 0:
        return "", 0
    r = repr(abs(f))
    mant, _, ex = r.partition("e")
    exp10 = int(ex) if ex else 0
    ip, _, fp = mant.partition(".")
    digits = ip + fp
    stripped = digits.lstrip("0")
    lead = len(digits) - len(stripped)
    dp = len(ip) + exp10 - lead
    return stripped.rstrip("0"), dp


def _fmt_e(neg: bool, digits: str, dp: int, prec: int, ch: str) -> str:
    # strconv fmtE with decimal digits already rounded to prec+1 places (or fewer).
    first = digits[0] if digits else "0"
    out = ["-" if neg else "", first]
    if prec > 0:
        rest = digits[1 : prec + 1]
        out.append("." + rest + "0" * (prec - len(rest)))
    exp = dp - 1 if digits else 0
    sign = "-" if exp < 0 else "+"
    exp = abs(exp)
    out.append(f"{ch}{sign}{exp:02d}")
    return "".join(out)


def _fmt_f(neg: bool, digits: str, dp: int, prec: int) -> str:
    out = ["-" if neg else ""]
    if dp > 0:
        ip = digits[:dp]
        out.append(ip + "0" * (dp - len(ip)))
    else:
        out.append("0")
    if prec > 0:
        frac = []
        for k in range(prec):
            j = dp + k
            frac.append(digits[j] if 0 <= j < len(digits) else "0")
        out.append("." + "".join(frac))
    return "".join(out)


def _fmt_b(f: float) -> str:
    bits = struct.unpack("<Q", struct.pack("<d", f))[0]
    neg = bits >> 63
    exp = (bits >> 52) & 0x7FF
    mant = bits & ((1 << 52) - 1)
    if exp == 0:
        exp = 1
    else:
        mant |= 1 << 52
    exp += -1023 - 52
    return ("-" if neg else "") + str(mant) + "p" + ("+" if exp >= 0 else "") + str(exp)


def _fmt_x(f: float, prec: int, upper: bool) -> str:
    bits = struct.unpack("<Q", struct.pack("<d", f))[0]
    neg = bits >> 63
    exp = (bits >> 52) & 0x7FF
    mant = bits & ((1 << 52) - 1)
    if exp == 0:
        exp = 1
    else:
        mant |= 1 << 52
    exp += -1023
    if mant == 0:
        exp = 0
    # Shift so that a leading 1 sits at bit 60.
    mant <<= 60 - 52
    while mant != 0 and mant & (1 << 60) == 0:
        mant <<= 1
        exp -= 1
    if 0 <= prec < 15:
        shift = prec * 4
        extra = (mant << shift) & ((1 << 60) - 1)
        mant >>= 60 - shift
        if extra | (mant & 1) > 1 << 59:
            mant += 1
        mant <<= 60 - shift
        if mant & (1 << 61):
            mant >>= 1
            exp += 1
    hexdigits = "0123456789ABCDEF" if upper else "0123456789abcdef"
    out = ["-" if neg else "", "0", "X" if upper else "x", str((mant >> 60) & 1)]
    mant = (mant << 4) & ((1 << 64) - 1)
    if prec < 0 and mant != 0:
        out.append(".")
        while mant != 0:
            out.append(hexdigits[(mant >> 60) & 15])
            mant = (mant << 4) & ((1 << 64) - 1)
    elif prec > 0:
        out.append(".")
        for _ in range(prec):
            out.append(hexdigits[(mant >> 60) & 15])
            mant = (mant << 4) & ((1 << 64) - 1)
    out.append("P" if upper else "p")
    out.append("-" if exp < 0 else "+")
    exp = abs(exp)
    out.append(f"{exp:02d}")
    return "".join(out)


def format_float(f: float, fmt: str, prec: int) -> str:
    """strconv.FormatFloat(f, fmt, prec, 64)."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if fmt == "b":
        return _fmt_b(f)
    if fmt in "xX":
        return _fmt_x(f, prec, fmt == "X")
    neg = math.copysign(1.0, f) < 0
    if prec >= 0:
        # Python's e, f and g with a precision round and trim exactly as Go's do.
        return format(f, f".{prec}{fmt}")
    digits, dp = shortest_digits(f)
    nd = len(digits)
    if fmt in "eE":
        return _fmt_e(neg, digits, dp, nd - 1, fmt)
    if fmt == "f":
        return _fmt_f(neg, digits, dp, max(nd - dp, 0))
    # 'g' with the shortest digits: Go switches to %e at exponent < -4 or >= 6 (not at
    # the digit count), which is why 1234567.0 prints as 1.234567e+06.
    exp = dp - 1 if nd else -1
    if exp < -4 or exp >= 6:
        return _fmt_e(neg, digits, dp, nd - 1, "e" if fmt == "g" else "E")
    return _fmt_f(neg, digits, dp, max(nd - dp, 0))


def format_float_v(f: float) -> str:
    """fmt's %v of a float64 (strconv 'g' with the shortest digits)."""
    if f.is_integer() and -1e6 < f < 1e6:
        if f == 0 and math.copysign(1.0, f) < 0:
            return "-0"
        return str(int(f))
    a = abs(f)
    if 1e-4 <= a < 1e6:
        return repr(f)
    return format_float(f, "g", -1)
