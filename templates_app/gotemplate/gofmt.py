"""Go's fmt package (Sprint, Sprintln, Sprintf) for the values a template can hold.

Written after the behaviour of fmt/print.go and fmt/format.go: flags and width apply to
each element of a list or map, a wrong verb prints ``%!verb(type=value)`` with the flags
still in force, and nil elements print ``<nil>`` whatever the verb.
"""

from __future__ import annotations

from .strconv import can_backquote, format_float, format_float_v, is_print, quote, quote_rune
from .values import GoInt, GoUint8, as_float, sorted_keys, to_bytes, type_name

_LDIGITS = "0123456789abcdefx"
_UDIGITS = "0123456789ABCDEFX"


def format_value(v: object) -> str:
    """``fmt.Sprint(v)`` of one value: %v without flags."""
    if v.__class__ is str:
        return v  # type: ignore[return-value]
    f = _V_FORMATTERS.get(v.__class__)
    if f is not None:
        return f(v)
    if v is None:
        return "<nil>"
    p = _Printer()
    p.print_arg(v, "v")
    return "".join(p.buf)


def _v_list(v: list | tuple) -> str:
    return "[" + " ".join([e if e.__class__ is str else format_value(e) for e in v]) + "]"


def _v_map(m: dict) -> str:
    parts = []
    for k in sorted_keys(m):
        e = m[k]
        parts.append(
            (k if k.__class__ is str else format_value(k))
            + ":"
            + (e if e.__class__ is str else format_value(e))
        )
    return "map[" + " ".join(parts) + "]"


_V_FORMATTERS = {
    float: format_float_v,
    bool: lambda b: "true" if b else "false",
    GoInt: int.__repr__,
    GoUint8: int.__repr__,
    int: lambda i: format_float_v(as_float(i)),
    list: _v_list,
    tuple: _v_list,
    dict: _v_map,
}


def sprint(args: list) -> str:
    """fmt.Sprint: a space between two operands when neither is a string."""
    if len(args) == 1:
        return format_value(args[0])
    out = []
    prev_string = False
    for i, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if i > 0 and not is_string and not prev_string:
            out.append(" ")
        out.append(format_value(arg))
        prev_string = is_string
    return "".join(out)


def sprintln(args: list) -> str:
    """fmt.Sprintln: spaces between all operands, and a newline."""
    return " ".join([format_value(a) for a in args]) + "\n"


def sprintf(format: str, args: list) -> str:
    """fmt.Sprintf."""
    p = _Printer()
    p.do_printf(format, args)
    return "".join(p.buf)


def _too_large(x: int) -> bool:
    return x > 1_000_000 or x < -1_000_000


def _parsenum(s: str, start: int, end: int) -> tuple[int, bool, int]:
    if start >= end:
        return 0, False, end
    num = 0
    isnum = False
    i = start
    while i < end and "0" <= s[i] <= "9":
        if _too_large(num):
            return 0, False, end
        num = num * 10 + ord(s[i]) - 48
        isnum = True
        i += 1
    return num, isnum, i


def _int_from_arg(a: list, arg_num: int) -> tuple[int, bool, int]:
    num, is_int, new_arg_num = 0, False, arg_num
    if arg_num < len(a):
        v = a[arg_num]
        if type(v) is GoInt or type(v) is GoUint8:
            num, is_int = int(v), True
        new_arg_num = arg_num + 1
        if _too_large(num):
            num, is_int = 0, False
    return num, is_int, new_arg_num


class _Printer:
    """One fmt ``pp``: the output buffer and the flags of the verb being printed."""

    __slots__ = (
        "buf",
        "wid",
        "prec",
        "wid_present",
        "prec_present",
        "minus",
        "plus",
        "sharp",
        "space",
        "zero",
        "plus_v",
        "sharp_v",
        "arg",
        "reordered",
        "good_arg_num",
    )

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.clear_flags()
        self.arg: object = None
        self.reordered = False
        self.good_arg_num = True

    def clear_flags(self) -> None:
        self.wid = self.prec = 0
        self.wid_present = self.prec_present = False
        self.minus = self.plus = self.sharp = self.space = self.zero = False
        self.plus_v = self.sharp_v = False

    # -- padding ---------------------------------------------------------------------

    def write_padding(self, n: int) -> None:
        if n > 0:
            self.buf.append(("0" if self.zero else " ") * n)

    def pad(self, s: str) -> None:
        if not self.wid_present or self.wid == 0:
            self.buf.append(s)
            return
        width = self.wid - len(s)
        if not self.minus:
            self.write_padding(width)
            self.buf.append(s)
        else:
            self.buf.append(s)
            self.write_padding(width)

    # -- values ----------------------------------------------------------------------

    def bad_verb(self, verb: str) -> None:
        self.buf.append("%!" + verb + "(")
        arg = self.arg
        if arg is not None:
            self.buf.append(type_name(arg) + "=")
            self.print_arg(arg, "v")
        else:
            self.buf.append("<nil>")
        self.buf.append(")")

    def print_arg(self, arg: object, verb: str) -> None:
        self.arg = arg
        if arg is None:
            if verb == "T" or verb == "v":
                self.pad("<nil>")
            else:
                self.bad_verb(verb)
            return
        if verb == "T":
            self.fmt_s(type_name(arg))
            return
        if verb == "p":
            self.fmt_pointer(arg, verb)
            return
        if verb == "w":
            # Only Errorf may use %w: Sprintf rejects the whole argument, list or not.
            self.bad_verb(verb)
            return
        self.print_value(arg, verb, 0)

    def print_value(self, v: object, verb: str, depth: int) -> None:
        self.arg = v
        t = type(v)
        if t is str:
            self.fmt_string(v, verb)  # type: ignore[arg-type]
        elif t is float or t is int:
            self.fmt_float(as_float(v), verb)
        elif t is bool:
            if verb == "t" or verb == "v":
                self.pad("true" if v else "false")
            else:
                self.bad_verb(verb)
        elif t is GoInt:
            self.fmt_integer(int(v), True, verb)  # type: ignore[call-overload]
        elif t is GoUint8:
            self.fmt_integer(int(v), False, verb)  # type: ignore[call-overload]
        elif t is complex:
            self.fmt_complex(v, verb)  # type: ignore[arg-type]
        elif v is None:
            # A nil element of a list or map (an interface{} holding nil).
            self.buf.append("interface {}(nil)" if self.sharp_v else "<nil>")
        elif isinstance(v, dict):
            self.print_map(v, verb, depth)
        elif isinstance(v, (list, tuple)):
            self.print_list(v, verb, depth)
        elif isinstance(v, str):
            self.fmt_string(str(v), verb)
        elif isinstance(v, int):
            self.fmt_float(as_float(v), verb)
        else:
            self.fmt_string(str(v), verb)

    def print_map(self, m: dict, verb: str, depth: int) -> None:
        if self.sharp_v:
            self.buf.append(type_name(m) + "{")
        else:
            self.buf.append("map[")
        for i, k in enumerate(sorted_keys(m)):
            if i > 0:
                self.buf.append(", " if self.sharp_v else " ")
            self.print_value(k, verb, depth + 1)
            self.buf.append(":")
            self.print_value(m[k], verb, depth + 1)
        self.buf.append("}" if self.sharp_v else "]")

    def print_list(self, lst: list | tuple, verb: str, depth: int) -> None:
        if self.sharp_v:
            self.buf.append(type_name(lst) + "{")
            sep = ", "
        else:
            self.buf.append("[")
            sep = " "
        for i, e in enumerate(lst):
            if i > 0:
                self.buf.append(sep)
            self.print_value(e, verb, depth + 1)
        self.buf.append("}" if self.sharp_v else "]")

    def fmt_pointer(self, v: object, verb: str) -> None:
        if not isinstance(v, (dict, list, tuple)):
            self.bad_verb(verb)
            return
        # Addresses cannot be reproduced; print a plausible one of the same shape.
        self.fmt_0x64(0xC000000000 + (id(v) & 0xFFFFFFF), not self.sharp)

    def fmt_0x64(self, v: int, leading0x: bool) -> None:
        sharp = self.sharp
        self.sharp = leading0x
        self._fmt_integer(v, 16, False, "v", _LDIGITS)
        self.sharp = sharp

    # -- numbers ---------------------------------------------------------------------

    def fmt_integer(self, v: int, signed: bool, verb: str) -> None:
        if verb == "v":
            if self.sharp_v and not signed:
                self.fmt_0x64(v, True)
            else:
                self._fmt_integer(v, 10, signed, verb, _LDIGITS)
        elif verb == "d":
            self._fmt_integer(v, 10, signed, verb, _LDIGITS)
        elif verb == "b":
            self._fmt_integer(v, 2, signed, verb, _LDIGITS)
        elif verb == "o" or verb == "O":
            self._fmt_integer(v, 8, signed, verb, _LDIGITS)
        elif verb == "x":
            self._fmt_integer(v, 16, signed, verb, _LDIGITS)
        elif verb == "X":
            self._fmt_integer(v, 16, signed, verb, _UDIGITS)
        elif verb == "c":
            self.pad(chr(self._rune(v)))
        elif verb == "q":
            self.pad(quote_rune(self._rune(v), ascii_only=self.plus))
        elif verb == "U":
            self.fmt_unicode(v)
        else:
            self.bad_verb(verb)

    @staticmethod
    def _rune(v: int) -> int:
        # rune(c) of a uint64: anything past MaxRune (negatives included) is RuneError,
        # and EncodeRune writes RuneError for surrogates too.
        if v < 0 or v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
            return 0xFFFD
        return v

    def _fmt_integer(self, u: int, base: int, signed: bool, verb: str, digits: str) -> None:
        negative = signed and u < 0
        if negative:
            u = -u
        elif u < 0:
            u &= (1 << 64) - 1
        prec = 0
        if self.prec_present:
            prec = self.prec
            if prec == 0 and u == 0:
                old_zero = self.zero
                self.zero = False
                self.write_padding(self.wid)
                self.zero = old_zero
                return
        elif self.zero and self.wid_present:
            prec = self.wid
            if negative or self.plus or self.space:
                prec -= 1
        if base == 10:
            s = str(u)
        elif base == 16:
            s = format(u, "x") if digits is _LDIGITS else format(u, "X")
        elif base == 8:
            s = format(u, "o")
        else:
            s = format(u, "b")
        if len(s) < prec:
            s = "0" * (prec - len(s)) + s
        if self.sharp:
            if base == 2:
                s = "0b" + s
            elif base == 8:
                if s[0] != "0":
                    s = "0" + s
            elif base == 16:
                s = "0" + digits[16] + s
        if verb == "O":
            s = "0o" + s
        if negative:
            s = "-" + s
        elif self.plus:
            s = "+" + s
        elif self.space:
            s = " " + s
        old_zero = self.zero
        self.zero = False
        self.pad(s)
        self.zero = old_zero

    def fmt_unicode(self, u: int) -> None:
        if u < 0:
            u &= (1 << 64) - 1
        prec = 4
        if self.prec_present and self.prec > 4:
            prec = self.prec
        s = "U+" + format(u, "X").rjust(prec, "0")
        if self.sharp and u <= 0x10FFFF and is_print(u):
            s += " '" + chr(u) + "'"
        old_zero = self.zero
        self.zero = False
        self.pad(s)
        self.zero = old_zero

    def fmt_float(self, v: float, verb: str) -> None:
        if verb == "v":
            self._fmt_float(v, "g", -1)
        elif verb in ("b", "g", "G", "x", "X"):
            self._fmt_float(v, verb, -1)
        elif verb in ("f", "e", "E"):
            self._fmt_float(v, verb, 6)
        elif verb == "F":
            self._fmt_float(v, "f", 6)
        else:
            self.bad_verb(verb)

    def _fmt_float(self, v: float, verb: str, prec: int) -> None:
        if self.prec_present:
            prec = self.prec
        num = format_float(v, verb, prec)
        if num[0] != "-" and num[0] != "+":
            num = "+" + num
        if self.space and num[0] == "+" and not self.plus:
            num = " " + num[1:]
        if num[1] == "I" or num[1] == "N":
            old_zero = self.zero
            self.zero = False
            if num[1] == "N" and not self.space and not self.plus:
                num = num[1:]
            self.pad(num)
            self.zero = old_zero
            return
        if self.sharp and verb != "b":
            digits = 0
            if verb in ("v", "g", "G", "x"):
                digits = prec
                if digits == -1:
                    digits = 6
            tail = ""
            has_dot = False
            saw_nonzero = False
            i = 1
            while i < len(num):
                c = num[i]
                if c == ".":
                    has_dot = True
                elif c in "pP" or (c in "eE" and verb not in "xX"):
                    tail = num[i:]
                    num = num[:i]
                    break
                else:
                    if c != "0":
                        saw_nonzero = True
                    if saw_nonzero:
                        digits -= 1
                i += 1
            if not has_dot:
                if len(num) == 2 and num[1] == "0":
                    digits -= 1
                num += "."
            if digits > 0:
                num += "0" * digits
            num += tail
        if self.plus or num[0] != "+":
            if self.zero and self.wid_present and self.wid > len(num):
                self.buf.append(num[0])
                self.write_padding(self.wid - len(num))
                self.buf.append(num[1:])
                return
            self.pad(num)
            return
        self.pad(num[1:])

    def fmt_complex(self, v: complex, verb: str) -> None:
        if verb in ("v", "b", "g", "G", "x", "X", "f", "F", "e", "E"):
            old_plus = self.plus
            self.buf.append("(")
            self.fmt_float(v.real, verb)
            self.plus = True
            self.fmt_float(v.imag, verb)
            self.buf.append("i)")
            self.plus = old_plus
        else:
            self.bad_verb(verb)

    # -- strings ---------------------------------------------------------------------

    def _truncate(self, s: str) -> str:
        if self.prec_present and self.prec < len(s):
            return s[: self.prec]
        return s

    def fmt_s(self, s: str) -> None:
        self.pad(self._truncate(s))

    def fmt_string(self, s: str, verb: str) -> None:
        if verb == "v":
            if self.sharp_v:
                self.fmt_q(s)
            else:
                self.fmt_s(s)
        elif verb == "s":
            self.fmt_s(s)
        elif verb == "x":
            self.fmt_sx(s, _LDIGITS)
        elif verb == "X":
            self.fmt_sx(s, _UDIGITS)
        elif verb == "q":
            self.fmt_q(s)
        else:
            self.bad_verb(verb)

    def fmt_q(self, s: str) -> None:
        s = self._truncate(s)
        if self.sharp and can_backquote(s):
            self.pad("`" + s + "`")
            return
        self.pad(quote(s, ascii_only=self.plus))

    def fmt_sx(self, s: str, digits: str) -> None:
        b = to_bytes(s)
        length = len(b)
        if self.prec_present and self.prec < length:
            length = self.prec
        width = 2 * length
        if width > 0:
            if self.space:
                if self.sharp:
                    width *= 2
                width += length - 1
            elif self.sharp:
                width += 2
        else:
            if self.wid_present:
                self.write_padding(self.wid)
            return
        if self.wid_present and self.wid > width and not self.minus:
            self.write_padding(self.wid - width)
        out = []
        if self.sharp:
            out.append("0" + digits[16])
        for i in range(length):
            if self.space and i > 0:
                out.append(" ")
                if self.sharp:
                    out.append("0" + digits[16])
            c = b[i]
            out.append(digits[c >> 4] + digits[c & 0xF])
        self.buf.append("".join(out))
        if self.wid_present and self.wid > width and self.minus:
            self.write_padding(self.wid - width)

    # -- Printf ----------------------------------------------------------------------

    def _arg_number(self, arg_num: int, format: str, i: int, num_args: int) -> tuple[int, int, bool]:
        if len(format) <= i or format[i] != "[":
            return arg_num, i, False
        self.reordered = True
        index, wid, ok = _parse_arg_number(format[i:])
        if ok and 0 <= index < num_args:
            return index, i + wid, True
        self.good_arg_num = False
        return arg_num, i + wid, ok

    def do_printf(self, format: str, a: list) -> None:
        end = len(format)
        arg_num = 0
        after_index = False
        self.reordered = False
        buf = self.buf
        i = 0
        while i < end:
            self.good_arg_num = True
            lasti = i
            i = format.find("%", i)
            if i < 0:
                i = end
            if i > lasti:
                buf.append(format[lasti:i])
            if i >= end:
                break
            i += 1
            self.clear_flags()
            simple = False
            while i < end:
                c = format[i]
                if c == "#":
                    self.sharp = True
                elif c == "0":
                    self.zero = not self.minus
                elif c == "+":
                    self.plus = True
                elif c == "-":
                    self.minus = True
                    self.zero = False
                elif c == " ":
                    self.space = True
                else:
                    if "a" <= c <= "z" and arg_num < len(a):
                        if c == "v":
                            self.sharp_v, self.sharp = self.sharp, False
                            self.plus_v, self.plus = self.plus, False
                        self.print_arg(a[arg_num], c)
                        arg_num += 1
                        i += 1
                        simple = True
                    break
                i += 1
            if simple:
                continue

            arg_num, i, after_index = self._arg_number(arg_num, format, i, len(a))

            if i < end and format[i] == "*":
                i += 1
                self.wid, self.wid_present, arg_num = _int_from_arg(a, arg_num)
                if not self.wid_present:
                    buf.append("%!(BADWIDTH)")
                if self.wid < 0:
                    self.wid = -self.wid
                    self.minus = True
                    self.zero = False
                after_index = False
            else:
                self.wid, self.wid_present, i = _parsenum(format, i, end)
                if after_index and self.wid_present:
                    self.good_arg_num = False

            if i + 1 < end and format[i] == ".":
                i += 1
                if after_index:
                    self.good_arg_num = False
                arg_num, i, after_index = self._arg_number(arg_num, format, i, len(a))
                if i < end and format[i] == "*":
                    i += 1
                    self.prec, self.prec_present, arg_num = _int_from_arg(a, arg_num)
                    if self.prec < 0:
                        self.prec = 0
                        self.prec_present = False
                    if not self.prec_present:
                        buf.append("%!(BADPREC)")
                    after_index = False
                else:
                    self.prec, self.prec_present, i = _parsenum(format, i, end)
                    if not self.prec_present:
                        self.prec = 0
                        self.prec_present = True

            if not after_index:
                arg_num, i, after_index = self._arg_number(arg_num, format, i, len(a))

            if i >= end:
                buf.append("%!(NOVERB)")
                break

            verb = format[i]
            if 0xDC80 <= ord(verb) <= 0xDCFF:
                verb = "\ufffd"  # a stray byte decodes to RuneError
            i += 1

            if verb == "%":
                buf.append("%")
            elif not self.good_arg_num:
                buf.append("%!" + verb + "(BADINDEX)")
            elif arg_num >= len(a):
                buf.append("%!" + verb + "(MISSING)")
            else:
                if verb == "v":
                    self.sharp_v, self.sharp = self.sharp, False
                    self.plus_v, self.plus = self.plus, False
                self.print_arg(a[arg_num], verb)
                arg_num += 1

        if not self.reordered and arg_num < len(a):
            self.clear_flags()
            buf.append("%!(EXTRA ")
            for k, arg in enumerate(a[arg_num:]):
                if k > 0:
                    buf.append(", ")
                if arg is None:
                    buf.append("<nil>")
                else:
                    buf.append(type_name(arg) + "=")
                    self.print_arg(arg, "v")
            buf.append(")")


def _parse_arg_number(format: str) -> tuple[int, int, bool]:
    if len(format) < 3:
        return 0, 1, False
    for i in range(1, len(format)):
        if format[i] == "]":
            width, ok, newi = _parsenum(format, 1, i)
            if not ok or newi != i:
                return 0, i + 1, False
            return width - 1, i + 1, True
    return 0, 1, False
