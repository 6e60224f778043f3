"""Recursive-descent parser following Go's text/template/parse grammar and messages.

Besides Go's tree it resolves each variable to a slot of its template's frame: Go looks
variables up by name on a run-time stack, which mirrors the lexical scopes the parser
already tracks, so the lookup can be done once here.
"""

from __future__ import annotations

from . import lexer as L
from .errors import TemplateParseError, position
from .nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    Tree,
    VariableNode,
    VarRef,
    WithNode,
    is_empty_tree,
)
from .strconv import (
    MAX_UINT64,
    MIN_INT64,
    RangeErr,
    SyntaxErr,
    parse_complex,
    parse_float,
    parse_int,
    parse_uint,
    quote,
    unquote,
    unquote_char,
)

_COMMAND_START = frozenset(
    {
        L.BOOL,
        L.CHAR_CONSTANT,
        L.COMPLEX,
        L.DOT,
        L.FIELD,
        L.IDENTIFIER,
        L.NUMBER,
        L.NIL,
        L.RAW_STRING,
        L.STRING,
        L.VARIABLE,
        L.LEFT_PAREN,
    }
)


class _Scope:
    """Parsing state of one tree (the main template, or a define/block body)."""

    __slots__ = ("tree", "vars", "stack", "range_depth", "action_line")

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        dollar = VarRef("$", 0)
        # Names visible here, latest last; an assignment adds an alias of its target.
        self.vars: list[tuple[str, VarRef]] = [("$", dollar)]
        # The variables Go's run-time stack holds at this point (declarations only).
        self.stack: list[VarRef] = [dollar]
        self.range_depth = 0
        self.action_line = 0

    def declare(self, name: str) -> VarRef:
        ref = VarRef(name, self.tree.nslots)
        self.tree.nslots += 1
        self.vars.append((name, ref))
        self.stack.append(ref)
        return ref

    def assign(self, name: str) -> VarRef:
        """The target of ``name = ...``. Go records the name even when it assigns (a later
        use parses), and finds the variable at run time, failing if there is none."""
        ref = self.lookup(name) or VarRef(name, None)
        self.vars.append((name, ref))
        return ref

    def undeclare(self, ref: VarRef | None) -> None:
        self.vars = [(n, r) for n, r in self.vars if r is not ref]
        self.stack = [r for r in self.stack if r is not ref]

    def lookup(self, name: str) -> VarRef | None:
        """The variable a use of ``name`` reads at run time, or None if none is in scope.

        A variable declared by the pipeline that uses it is in scope for the parser but
        is pushed only once the pipeline has its value: the use reads an older variable
        of that name, or fails at run time."""
        found = False
        for n, ref in reversed(self.vars):
            if n == name:
                if not ref.pending:
                    return ref
                found = True
        return VarRef(name, None) if found else None


class Parser:
    def __init__(self, text: str, name: str, funcs: frozenset[str] | set[str]) -> None:
        self.text = text
        self.name = name
        self.funcs = funcs
        self.tokens = L.lex(text)
        self.i = 0
        self.hi = 0
        self.tree_set: dict[str, Tree] = {}
        self.scope = _Scope(Tree(name))

    # -- errors ---------------------------------------------------------------------------

    def errorf(self, msg: str) -> None:
        tok = self.tokens[min(self.hi, len(self.tokens) - 1)]
        line, col, _ = position(self.text, tok.pos)
        raise TemplateParseError(
            f"template: {self.name}:{tok.line}: {msg}", message=msg, name=self.name, line=line, col=col
        )

    def unexpected(self, tok: L.Token, context: str) -> None:
        if tok.typ == L.ERROR:
            extra = ""
            al = self.scope.action_line
            if al != 0 and al != tok.line:
                extra = f" in action started at {self.name}:{al}"
                if tok.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            self.errorf(f"{tok}{extra}")
        self.errorf(f"unexpected {tok} in {context}")

    # -- tokens ---------------------------------------------------------------------------

    def next(self) -> L.Token:
        i = self.i
        if i >= len(self.tokens):
            # Past an error token Go's lexer is closed; keep answering with the last token.
            return self.tokens[-1]
        self.i = i + 1
        if i > self.hi:
            self.hi = i
        return self.tokens[i]

    def backup(self) -> None:
        self.i -= 1

    def peek(self) -> L.Token:
        tok = self.next()
        self.backup()
        return tok

    def next_non_space(self) -> L.Token:
        while True:
            tok = self.next()
            if tok.typ != L.SPACE:
                return tok

    def peek_non_space(self) -> L.Token:
        tok = self.next_non_space()
        self.backup()
        return tok

    def expect(self, typ: int, context: str) -> L.Token:
        tok = self.next_non_space()
        if tok.typ != typ:
            self.unexpected(tok, context)
        return tok

    # -- top level ------------------------------------------------------------------------

    def parse(self) -> dict[str, Tree]:
        main = self.scope.tree
        root = ListNode(self.peek().pos)
        while self.peek().typ != L.EOF:
            if self.peek().typ == L.LEFT_DELIM:
                mark = self.i
                self.next()
                if self.next_non_space().typ == L.DEFINE:
                    self.parse_definition()
                    continue
                self.i = mark
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                self.errorf(f"unexpected {n}")
            root.nodes.append(n)
        main.root = root
        self.add(main)
        return self.tree_set

    def add(self, tree: Tree) -> None:
        old = self.tree_set.get(tree.name)
        if old is None or is_empty_tree(old.root):
            self.tree_set[tree.name] = tree
            return
        if not is_empty_tree(tree.root):
            self.errorf(f"template: multiple definition of template {quote(tree.name)}")

    def _unquote(self, tok: L.Token) -> str:
        try:
            return unquote(tok.val)
        except SyntaxErr:
            self.errorf("invalid syntax")
            raise  # unreachable

    def parse_definition(self) -> None:
        outer = self.scope
        self.scope = _Scope(Tree("definition"))
        try:
            tok = self.next_non_space()
            if tok.typ not in (L.STRING, L.RAW_STRING):
                self.unexpected(tok, "define clause")
            self.scope.tree.name = self._unquote(tok)
            self.expect(L.RIGHT_DELIM, "define clause")
            root, end = self.item_list()
            if not isinstance(end, EndNode):
                self.errorf(f"unexpected {end} in define clause")
            self.scope.tree.root = root
            self.add(self.scope.tree)
        finally:
            self.scope = outer

    def item_list(self) -> tuple[ListNode, Node]:
        lst = ListNode(self.peek_non_space().pos)
        while self.peek_non_space().typ != L.EOF:
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                return lst, n
            lst.nodes.append(n)
        self.errorf("unexpected EOF")
        raise AssertionError  # unreachable

    def text_or_action(self) -> Node:
        tok = self.next_non_space()
        if tok.typ == L.TEXT:
            return TextNode(tok.pos, tok.val)
        if tok.typ == L.LEFT_DELIM:
            self.scope.action_line = tok.line
            try:
                return self.action()
            finally:
                self.scope.action_line = 0
        self.unexpected(tok, "input")
        raise AssertionError  # unreachable

    def action(self) -> Node:
        tok = self.next_non_space()
        t = tok.typ
        if t == L.BLOCK:
            return self.block_control()
        if t == L.BREAK:
            return self.break_control(tok, "{{break}}", BreakNode)
        if t == L.CONTINUE:
            return self.break_control(tok, "{{continue}}", ContinueNode)
        if t == L.ELSE:
            return self.else_control()
        if t == L.END:
            return EndNode(self.expect(L.RIGHT_DELIM, "end").pos)
        if t == L.IF:
            return self.parse_control(IfNode, True, "if")
        if t == L.RANGE:
            return self.parse_control(RangeNode, False, "range")
        if t == L.TEMPLATE:
            return self.template_control()
        if t == L.WITH:
            return self.parse_control(WithNode, False, "with")
        self.backup()
        tok = self.peek()
        return ActionNode(tok.pos, tok.line, self.pipeline("command", L.RIGHT_DELIM))

    def break_control(self, kw: L.Token, what: str, cls: type) -> Node:
        tok = self.next_non_space()
        if tok.typ != L.RIGHT_DELIM:
            self.unexpected(tok, what)
        if self.scope.range_depth == 0:
            self.errorf(f"{what} outside {{{{range}}}}")
        return cls(kw.pos, kw.line)

    def else_control(self) -> Node:
        peek = self.peek_non_space()
        if peek.typ == L.IF:
            return ElseNode(peek.pos, peek.line)
        tok = self.expect(L.RIGHT_DELIM, "else")
        return ElseNode(tok.pos, tok.line)

    def parse_control(self, cls: type, allow_else_if: bool, context: str) -> BranchNode:
        scope = self.scope
        mark_vars, mark_stack = len(scope.vars), len(scope.stack)
        try:
            pipe = self.pipeline(context, L.RIGHT_DELIM)
            elem_ref = index_slot = None
            if context == "range":
                # Go sets the top one or two variables of its stack to element and index.
                if pipe.decl:
                    elem_ref = scope.stack[-1]
                    if len(pipe.decl) > 1 and len(scope.stack) > 1:
                        index_slot = scope.stack[-2].slot
                    if not pipe.is_assign:
                        elem_ref.range_elem = True
                scope.range_depth += 1
            body_vars, body_stack = len(scope.vars), len(scope.stack)
            lst, nxt = self.item_list()
            if context == "range":
                scope.range_depth -= 1
            else_list = None
            if isinstance(nxt, ElseNode):
                # What the body declared is off Go's stack while the else branch runs
                # (assignments in the body still name variables declared outside it).
                body_decls = {id(ref) for ref in scope.stack[body_stack:]}
                for k in range(body_vars, len(scope.vars)):
                    name, ref = scope.vars[k]
                    if id(ref) in body_decls:
                        # Seen by the parser, absent at run time: a use reads an older one.
                        scope.vars[k] = (name, VarRef(name, None, pending=True))
                del scope.stack[body_stack:]
                if allow_else_if and self.peek().typ == L.IF:
                    self.next()
                    else_list = ListNode(nxt.pos)
                    else_list.nodes.append(self.parse_control(IfNode, True, "if"))
                else:
                    else_list, end = self.item_list()
                    if not isinstance(end, EndNode):
                        self.errorf(f"expected end; found {end}")
            node = cls(pipe.pos, pipe.line, pipe, lst, else_list)
            if context == "range":
                node.elem_ref = elem_ref
                node.index_slot = index_slot
            return node
        finally:
            del scope.vars[mark_vars:]
            del scope.stack[mark_stack:]

    def block_control(self) -> Node:
        context = "block clause"
        tok = self.next_non_space()
        name = self.parse_template_name(tok, context)
        pipe = self.pipeline(context, L.RIGHT_DELIM)
        outer = self.scope
        self.scope = _Scope(Tree(name))
        try:
            root, end = self.item_list()
            if not isinstance(end, EndNode):
                self.errorf(f"unexpected {end} in {context}")
            self.scope.tree.root = root
            self.add(self.scope.tree)
        finally:
            self.scope = outer
        return TemplateNode(tok.pos, tok.line, name, pipe)

    def template_control(self) -> Node:
        context = "template clause"
        tok = self.next_non_space()
        name = self.parse_template_name(tok, context)
        pipe = None
        if self.next_non_space().typ != L.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, L.RIGHT_DELIM)
        return TemplateNode(tok.pos, tok.line, name, pipe)

    def parse_template_name(self, tok: L.Token, context: str) -> str:
        if tok.typ in (L.STRING, L.RAW_STRING):
            return self._unquote(tok)
        self.unexpected(tok, context)
        raise AssertionError  # unreachable

    # -- pipelines ------------------------------------------------------------------------

    def pipeline(self, context: str, end: int) -> PipeNode:
        tok = self.peek_non_space()
        pipe = PipeNode(tok.pos, tok.line)
        scope = self.scope
        while True:  # declarations
            v = self.peek_non_space()
            if v.typ != L.VARIABLE:
                break
            mark = self.i
            self.next()
            self.peek()  # Go looks at the token after the variable; it moves error lines
            nxt = self.peek_non_space()
            if nxt.typ == L.ASSIGN or nxt.typ == L.DECLARE:
                pipe.is_assign = nxt.typ == L.ASSIGN
                self.next_non_space()
                if pipe.is_assign:
                    # "$i, $v = ...": the variable before the comma was taken for a
                    # declaration; now that "=" says otherwise, it names its old self.
                    for earlier in pipe.decl:
                        scope.undeclare(earlier.ref)
                        earlier.ref = scope.assign(earlier.ident[0])
                    ref = scope.assign(v.val)
                else:
                    ref = scope.declare(v.val)
                    ref.pending = True
                pipe.decl.append(VariableNode(v.pos, v.val, ref))
                break
            if nxt.typ == L.CHAR and nxt.val == ",":
                self.next_non_space()
                ref = scope.declare(v.val)
                ref.pending = True
                pipe.decl.append(VariableNode(v.pos, v.val, ref))
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (L.VARIABLE, L.RIGHT_DELIM, L.RIGHT_PAREN):
                        continue
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            self.i = mark
            break
        while True:
            tok = self.next_non_space()
            if tok.typ == end:
                self.check_pipeline(pipe, context)
                for var in pipe.decl:
                    if var.ref is not None:
                        var.ref.pending = False
                return pipe
            if tok.typ in _COMMAND_START:
                self.backup()
                pipe.cmds.append(self.command())
            else:
                self.unexpected(tok, context)

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            self.errorf(f"missing value for {context}")
        for i, c in enumerate(pipe.cmds[1:]):
            if isinstance(c.args[0], (BoolNode, DotNode, NilNode, NumberNode, StringNode)):
                self.errorf(f"non executable command in pipeline stage {i + 2}")

    def command(self) -> CommandNode:
        cmd = CommandNode(self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            tok = self.next()
            if tok.typ == L.SPACE:
                continue
            if tok.typ == L.RIGHT_DELIM or tok.typ == L.RIGHT_PAREN:
                self.backup()
            elif tok.typ != L.PIPE:
                self.unexpected(tok, "operand")
            break
        if not cmd.args:
            self.errorf("empty command")
        return cmd

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == L.FIELD:
            chain = ChainNode(self.peek().pos, node)
            while self.peek().typ == L.FIELD:
                chain.add(self.next().val)
            if isinstance(node, FieldNode):
                return FieldNode(chain.pos, str(chain))
            if isinstance(node, VariableNode):
                return VariableNode(chain.pos, str(chain), node.ref)
            if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                self.errorf(f"unexpected . after term {quote(str(node))}")
            return chain
        return node

    def term(self) -> Node | None:
        tok = self.next_non_space()
        t = tok.typ
        if t == L.IDENTIFIER:
            if tok.val not in self.funcs:
                self.errorf(f"function {quote(tok.val)} not defined")
            return IdentifierNode(tok.pos, tok.val)
        if t == L.DOT:
            return DotNode(tok.pos)
        if t == L.NIL:
            return NilNode(tok.pos)
        if t == L.VARIABLE:
            return self.use_var(tok)
        if t == L.FIELD:
            return FieldNode(tok.pos, tok.val)
        if t == L.BOOL:
            return BoolNode(tok.pos, tok.val == "true")
        if t in (L.CHAR_CONSTANT, L.COMPLEX, L.NUMBER):
            return self.new_number(tok)
        if t == L.LEFT_PAREN:
            return self.pipeline("parenthesized pipeline", L.RIGHT_PAREN)
        if t == L.STRING or t == L.RAW_STRING:
            return StringNode(tok.pos, tok.val, self._unquote(tok))
        self.backup()
        return None

    def use_var(self, tok: L.Token) -> VariableNode:
        v = VariableNode(tok.pos, tok.val)
        ref = self.scope.lookup(v.ident[0])
        if ref is None:
            self.errorf(f"undefined variable {quote(v.ident[0])}")
        v.ref = ref
        return v

    def new_number(self, tok: L.Token) -> NumberNode:
        text = tok.val
        n = NumberNode(tok.pos, text)
        try:
            if tok.typ == L.CHAR_CONSTANT:
                r, _, nxt = unquote_char(text, 1, "'")
                if text[nxt:] != "'":
                    self.errorf(f"malformed character constant: {text}")
                n.int64 = n.uint64 = r
                n.float64 = float(r)
                n.is_int = n.is_uint = n.is_float = True
                return n
            if tok.typ == L.COMPLEX:
                n.complex128 = parse_complex(text)
                n.is_complex = True
                _simplify_complex(n)
                return n
        except (SyntaxErr, RangeErr):
            self.errorf("invalid syntax")
        if text.endswith("i"):
            try:
                f = parse_float(text[:-1])
            except (SyntaxErr, RangeErr):
                pass
            else:
                n.is_complex = True
                n.complex128 = complex(0, f)
                _simplify_complex(n)
                return n
        u = 0
        try:
            u = parse_uint(text)
            n.is_uint, n.uint64 = True, u
        except (SyntaxErr, RangeErr):
            pass
        try:
            i = parse_int(text)
            n.is_int, n.int64 = True, i
            if i == 0:
                n.is_uint, n.uint64 = True, u
        except (SyntaxErr, RangeErr):
            pass
        if n.is_int:
            n.is_float, n.float64 = True, float(n.int64)
        elif n.is_uint:
            n.is_float, n.float64 = True, float(n.uint64)
        else:
            try:
                f = parse_float(text)
            except (SyntaxErr, RangeErr):
                pass
            else:
                if not any(c in text for c in ".eEpP"):
                    self.errorf(f"integer overflow: {quote(text)}")
                n.is_float, n.float64 = True, f
                if _fits_int64(f):
                    n.is_int, n.int64 = True, int(f)
                if _fits_uint64(f):
                    n.is_uint, n.uint64 = True, int(f)
        if not (n.is_int or n.is_uint or n.is_float):
            self.errorf(f"illegal number syntax: {quote(text)}")
        return n


def _fits_int64(f: float) -> bool:
    # float64(int64(f)) == f on amd64: integral and inside the int64 range.
    return f == f and MIN_INT64 <= f < 2.0**63 and f == int(f)


def _fits_uint64(f: float) -> bool:
    return f == f and 0 <= f < 2.0**64 and f == int(f)


def _simplify_complex(n: NumberNode) -> None:
    c = n.complex128
    n.is_float = c.imag == 0
    if n.is_float:
        n.float64 = c.real
        n.is_int = _fits_int64(c.real)
        if n.is_int:
            n.int64 = int(c.real)
        n.is_uint = _fits_uint64(c.real)
        if n.is_uint:
            n.uint64 = int(c.real)


def parse_trees(
    text: str, name: str, funcs: frozenset[str] | set[str], *, max_tokens: int | None = None
) -> dict[str, Tree]:
    """All templates of ``text``: the main one under ``name``, and each define and block.

    ``max_tokens`` bounds the parse (limits.py): a text of more tokens is refused at the
    first token past the limit."""
    parser = Parser(text, name, funcs)
    if max_tokens is not None and len(parser.tokens) > max_tokens:
        parser.hi = max_tokens
        parser.errorf(f"template too long: more than {max_tokens:,} tokens (the parse limit)")
    return parser.parse()


__all__ = ["parse_trees", "MAX_UINT64"]
