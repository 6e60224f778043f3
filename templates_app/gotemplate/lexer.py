"""Tokens of a template, scanned as Go's text/template/parse lexer scans them.

The whole text is scanned up front; the list stops at the first error token, which is
where Go's lexer stops too, so the parser meets tokens in the same order as Go's does.
"""

from __future__ import annotations

from .strconv import is_print, quote

# Token kinds, in Go's order; keywords come after KEYWORD.
(
    ERROR,
    BOOL,
    CHAR,
    CHAR_CONSTANT,
    COMMENT,
    COMPLEX,
    ASSIGN,
    DECLARE,
    EOF,
    FIELD,
    IDENTIFIER,
    LEFT_DELIM,
    LEFT_PAREN,
    NUMBER,
    PIPE,
    RAW_STRING,
    RIGHT_DELIM,
    RIGHT_PAREN,
    SPACE,
    STRING,
    TEXT,
    VARIABLE,
    KEYWORD,
    BLOCK,
    BREAK,
    CONTINUE,
    DOT,
    DEFINE,
    ELSE,
    END,
    IF,
    NIL,
    RANGE,
    TEMPLATE,
    WITH,
) = range(35)

KEYWORDS = {
    ".": DOT,
    "block": BLOCK,
    "break": BREAK,
    "continue": CONTINUE,
    "define": DEFINE,
    "else": ELSE,
    "end": END,
    "if": IF,
    "range": RANGE,
    "nil": NIL,
    "template": TEMPLATE,
    "with": WITH,
}

LEFT_DELIM_S = "{{"
RIGHT_DELIM_S = "}}"
LEFT_COMMENT = "/*"
RIGHT_COMMENT = "*/"
SPACE_CHARS = " \t\r\n"


class Token:
    __slots__ = ("typ", "pos", "val", "line")

    def __init__(self, typ: int, pos: int, val: str, line: int) -> None:
        self.typ = typ
        self.pos = pos
        self.val = val
        self.line = line

    def __str__(self) -> str:
        # Go's item.String(), as it appears in "unexpected X in Y".
        if self.typ == EOF:
            return "EOF"
        if self.typ == ERROR:
            return self.val
        if self.typ > KEYWORD:
            return "<" + self.val + ">"
        if len(self.val) > 10:
            return quote(self.val[:10]) + "..."
        return quote(self.val)

    def __repr__(self) -> str:
        return f"Token({self.typ}, {self.pos}, {self.val!r}, {self.line})"


def is_space(c: str) -> bool:
    return c == " " or c == "\t" or c == "\r" or c == "\n"


def is_alnum(c: str) -> bool:
    # Go: '_' or unicode.IsLetter or unicode.IsDigit (Nd only, which is isdecimal).
    return c == "_" or c.isalpha() or c.isdecimal()


def _has_left_trim(s: str, i: int) -> bool:
    return len(s) >= i + 2 and s[i] == "-" and is_space(s[i + 1])


def _has_right_trim(s: str, i: int) -> bool:
    return len(s) >= i + 2 and is_space(s[i]) and s[i + 1] == "-"


def _rtrim_len(s: str) -> int:
    return len(s) - len(s.rstrip(SPACE_CHARS))


def _ltrim_len(s: str) -> int:
    return len(s) - len(s.lstrip(SPACE_CHARS))


def format_rune(c: str) -> str:
    """Go's %#U: U+0041 'A'."""
    r = ord(c) if c else 0xFFFD
    s = f"U+{r:04X}"
    if is_print(r):
        s += " '" + c + "'"
    return s


class Lexer:
    def __init__(self, text: str) -> None:
        self.input = text
        self.pos = 0
        self.start = 0
        self.paren_depth = 0
        self.action_start = 0  # where the action being lexed began ({{), for "unclosed action"
        self.tokens: list[Token] = []
        self._line_pos = 0
        self._line = 1

    def _line_at(self, pos: int) -> int:
        # Lines are asked for in increasing positions, so count incrementally.
        if pos < self._line_pos:
            self._line_pos, self._line = 0, 1
        self._line += self.input.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def emit(self, typ: int) -> None:
        self.tokens.append(
            Token(typ, self.start, self.input[self.start : self.pos], self._line_at(self.start))
        )
        self.start = self.pos

    def errorf(self, msg: str, at: int | None = None) -> None:
        """An error token. Go's message names the line where the token began; ``at`` is
        the offending character itself, which our column points at (Go's parse errors
        show no column)."""
        self.tokens.append(Token(ERROR, self.start if at is None else at, msg, self._line_at(self.start)))
        return None

    def ignore(self) -> None:
        self.start = self.pos

    def next(self) -> str:
        if self.pos >= len(self.input):
            self.pos = len(self.input) + 1  # so that backup() after EOF is a no-op
            return ""
        c = self.input[self.pos]
        self.pos += 1
        return c

    def backup(self) -> None:
        if self.pos > len(self.input):
            self.pos = len(self.input)
            return
        if self.pos > 0:
            self.pos -= 1

    def peek(self) -> str:
        return self.input[self.pos] if self.pos < len(self.input) else ""

    def run(self) -> list[Token]:
        state = self.lex_text
        while state is not None:
            state = state()
        return self.tokens

    # -- states -------------------------------------------------------------------------

    def lex_text(self):
        s = self.input
        x = s.find(LEFT_DELIM_S, self.pos)
        if x >= 0:
            self.pos = x
            trim = 0
            if _has_left_trim(s, x + 2):
                trim = _rtrim_len(s[self.start : x])
            self.pos -= trim
            if self.pos > self.start:
                self.emit(TEXT)
            self.pos += trim
            self.ignore()
            return self.lex_left_delim
        self.pos = len(s)
        if self.pos > self.start:
            self.emit(TEXT)
        self.emit(EOF)
        return None

    def at_right_delim(self) -> tuple[bool, bool]:
        s = self.input
        if _has_right_trim(s, self.pos) and s.startswith(RIGHT_DELIM_S, self.pos + 2):
            return True, True
        if s.startswith(RIGHT_DELIM_S, self.pos):
            return True, False
        return False, False

    def lex_left_delim(self):
        s = self.input
        self.pos += len(LEFT_DELIM_S)
        trim = _has_left_trim(s, self.pos)
        after = 2 if trim else 0
        if s.startswith(LEFT_COMMENT, self.pos + after):
            self.pos += after
            self.ignore()
            return self.lex_comment
        self.action_start = self.start
        self.emit(LEFT_DELIM)
        self.pos += after
        self.ignore()
        self.paren_depth = 0
        return self.lex_inside_action

    def lex_comment(self):
        s = self.input
        self.pos += len(LEFT_COMMENT)
        i = s.find(RIGHT_COMMENT, self.pos)
        if i < 0:
            return self.errorf("unclosed comment")
        self.pos = i + len(RIGHT_COMMENT)
        delim, trim = self.at_right_delim()
        if not delim:
            return self.errorf("comment ends before closing delimiter")
        if trim:
            self.pos += 2
        self.pos += len(RIGHT_DELIM_S)
        if trim:
            self.pos += _ltrim_len(s[self.pos :])
        self.ignore()
        return self.lex_text

    def lex_right_delim(self):
        s = self.input
        trim = _has_right_trim(s, self.pos)
        if trim:
            self.pos += 2
            self.ignore()
        self.pos += len(RIGHT_DELIM_S)
        self.emit(RIGHT_DELIM)
        if trim:
            self.pos += _ltrim_len(s[self.pos :])
            self.ignore()
        return self.lex_text

    def lex_inside_action(self):
        delim, _ = self.at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self.lex_right_delim
            return self.errorf("unclosed left paren")
        c = self.next()
        if c == "":
            return self.errorf("unclosed action", at=self.action_start)
        if is_space(c):
            self.backup()
            return self.lex_space
        if c == "=":
            self.emit(ASSIGN)
        elif c == ":":
            if self.next() != "=":
                return self.errorf("expected :=")
            self.emit(DECLARE)
        elif c == "|":
            self.emit(PIPE)
        elif c == '"':
            return self.lex_quote
        elif c == "`":
            return self.lex_raw_quote
        elif c == "$":
            return self.lex_variable
        elif c == "'":
            return self.lex_char
        elif c == "." and self.pos < len(self.input) and not ("0" <= self.input[self.pos] <= "9"):
            return self.lex_field
        elif c == "." or c == "+" or c == "-" or "0" <= c <= "9":
            self.backup()
            return self.lex_number
        elif is_alnum(c):
            self.backup()
            return self.lex_identifier
        elif c == "(":
            self.emit(LEFT_PAREN)
            self.paren_depth += 1
        elif c == ")":
            self.emit(RIGHT_PAREN)
            self.paren_depth -= 1
            if self.paren_depth < 0:
                return self.errorf("unexpected right paren " + format_rune(c), at=self.pos - 1)
        elif c <= "\x7f" and is_print(ord(c)):
            self.emit(CHAR)
        else:
            return self.errorf("unrecognized character in action: " + format_rune(c), at=self.pos - 1)
        return self.lex_inside_action

    def lex_space(self):
        s = self.input
        num = 0
        while self.pos < len(s) and is_space(s[self.pos]):
            self.pos += 1
            num += 1
        # A trim-marked right delimiter starts with a space: leave it to lex_right_delim.
        if _has_right_trim(s, self.pos - 1) and s.startswith(RIGHT_DELIM_S, self.pos + 1):
            self.pos -= 1
            if num == 1:
                return self.lex_right_delim
        self.emit(SPACE)
        return self.lex_inside_action

    def at_terminator(self) -> bool:
        c = self.peek()
        if is_space(c):
            return True
        if c in ("", ".", ",", "|", ":", ")", "("):
            return True
        return self.input.startswith(RIGHT_DELIM_S, self.pos)

    def lex_identifier(self):
        while True:
            c = self.next()
            if is_alnum(c):
                continue
            self.backup()
            word = self.input[self.start : self.pos]
            if not self.at_terminator():
                return self.errorf("bad character " + format_rune(c), at=self.pos)
            kw = KEYWORDS.get(word)
            if kw is not None and kw > KEYWORD:
                self.emit(kw)
            elif word[0] == ".":
                self.emit(FIELD)
            elif word == "true" or word == "false":
                self.emit(BOOL)
            else:
                self.emit(IDENTIFIER)
            return self.lex_inside_action

    def lex_field(self):
        return self.lex_field_or_variable(FIELD)

    def lex_variable(self):
        if self.at_terminator():
            self.emit(VARIABLE)
            return self.lex_inside_action
        return self.lex_field_or_variable(VARIABLE)

    def lex_field_or_variable(self, typ: int):
        if self.at_terminator():
            self.emit(VARIABLE if typ == VARIABLE else DOT)
            return self.lex_inside_action
        while True:
            c = self.next()
            if not is_alnum(c):
                self.backup()
                break
        if not self.at_terminator():
            return self.errorf("bad character " + format_rune(c), at=self.pos)
        self.emit(typ)
        return self.lex_inside_action

    def lex_char(self):
        return self._lex_quoted("'", CHAR_CONSTANT, "unterminated character constant")

    def lex_number(self):
        if not self.scan_number():
            return self.errorf("bad number syntax: " + quote(self.input[self.start : self.pos]))
        c = self.peek()
        if c == "+" or c == "-":
            if not self.scan_number() or self.input[self.pos - 1] != "i":
                return self.errorf("bad number syntax: " + quote(self.input[self.start : self.pos]))
            self.emit(COMPLEX)
        else:
            self.emit(NUMBER)
        return self.lex_inside_action

    def accept(self, valid: str) -> bool:
        c = self.next()
        if c != "" and c in valid:
            return True
        self.backup()
        return False

    def accept_run(self, valid: str) -> None:
        while True:
            c = self.next()
            if c == "" or c not in valid:
                break
        self.backup()

    def scan_number(self) -> bool:
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            if self.accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if len(digits) == 11 and self.accept("eE"):
            self.accept("+-")
            self.accept_run("0123456789_")
        if len(digits) == 23 and self.accept("pP"):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        if is_alnum(self.peek()):
            self.next()
            return False
        return True

    def lex_quote(self):
        return self._lex_quoted('"', STRING, "unterminated quoted string")

    def _lex_quoted(self, quote: str, token, unterminated: str):
        # Escapes are only skipped here; strconv.unquote interprets them later.
        while True:
            c = self.next()
            if c == "\\":
                c2 = self.next()
                if c2 != "" and c2 != "\n":
                    continue
                return self.errorf(unterminated)
            if c == "" or c == "\n":
                return self.errorf(unterminated)
            if c == quote:
                break
        self.emit(token)
        return self.lex_inside_action

    def lex_raw_quote(self):
        i = self.input.find("`", self.pos)
        if i < 0:
            self.pos = len(self.input)
            return self.errorf("unterminated raw quoted string")
        self.pos = i + 1
        self.emit(RAW_STRING)
        return self.lex_inside_action


def lex(text: str) -> list[Token]:
    return Lexer(text).run()
