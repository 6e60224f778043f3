"""Execution: the parse tree compiled once into closures, run many times.

Statements are ``run(st, dot)`` and append text to ``st.out``; expressions are
``ev(st, dot)`` (or ``ev(st, dot, final)`` for a pipeline stage that receives the value
of the one before) and return a value. Everything the tree says is decided here, once:
which function a name is, whether its argument count is right, which frame slot a
variable lives in, which constant a literal stands for. A run only looks at the data.

Go's reflect distinguishes a missing value (an invalid reflect.Value) from an
interface{} holding nil, and the difference shows in one place: asking a field of the
latter is an error. Values are plain Python objects here, so the difference is kept
where it can arise: inside a chain of fields (a map's value is an interface{}), for
range elements (the dot of a range body, and NIL_ELEM in a range variable).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from .errors import TemplateExecError, position
from .funcs import FUNCS, CallError
from .gofmt import format_value
from .limits import Limits
from .nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
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
    WithNode,
)
from .strconv import quote
from .values import NIL_ELEM, GoInt, is_list, is_map, printable_output, sorted_keys, truth, type_name

# Go's maxExecDepth. Python's own recursion limit comes first; execute() reports that as
# the same error.
MAX_EXEC_DEPTH = 100000

Run = Callable[["State", object], None]
Eval = Callable[..., object]


class _Invalid:
    """A missing value (Go's invalid reflect.Value) while walking a chain of fields."""

    __slots__ = ()


_INVALID = _Invalid()
_MISSING = object()


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class Compiled:
    """One named template, ready to run."""

    __slots__ = ("name", "run", "nslots")

    def __init__(self, name: str, run: Run, nslots: int) -> None:
        self.name = name
        self.run = run
        self.nslots = nslots


class Program:
    """The templates one text defines, and what error messages need to know of it."""

    __slots__ = ("name", "text", "templates")

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.templates: dict[str, Compiled] = {}


class State:
    """What one execution changes: the output, the variable frame, the template depth."""

    __slots__ = (
        "out",
        "vars",
        "depth",
        "tmpl_name",
        "prog",
        "tz",
        "missing",
        "novalue",
        "missing_error",
        "missing_zero",
        "lenient",
        # The limits of this render (limits.py), and its Budget once it loops.
        "limits",
        "budget",
    )


class Budget:
    """What a render has spent, made at its first range turn or template call: a render
    that never loops (a URL, a header, most bodies) never makes one, and pays nothing."""

    __slots__ = ("steps", "out_len", "measured", "max_steps", "max_output", "deadline")

    def __init__(self, limits: Limits) -> None:
        self.steps = self.out_len = self.measured = 0
        self.max_steps = limits.max_steps
        self.max_output = limits.max_output
        # Time before the first loop is linear in the template's own text: not counted.
        self.deadline = time.monotonic() + limits.max_seconds


def checkpoint(st: State, node: Node) -> None:
    """Charge one step (a range turn or a template call) and check the budget.

    Output is measured here rather than at every append, which would slow the common
    render of a URL or a body; between two checkpoints a render does no more than its
    own text says, so it cannot run far past the limit unnoticed.
    """
    b = st.budget
    if b is None:
        b = st.budget = Budget(st.limits)
    b.steps += 1
    out = st.out
    if len(out) > b.measured:
        b.out_len += sum(map(len, out[b.measured :]))
        b.measured = len(out)
        if b.out_len > b.max_output:
            raise exec_error(st, node, f"output limit exceeded: a render may produce at most {b.max_output:,} characters")
    if b.steps > b.max_steps:
        raise exec_error(
            st, node, f"step limit exceeded: a render may take at most {b.max_steps:,} range turns and template calls"
        )
    if b.steps & 1023 == 0 and time.monotonic() > b.deadline:
        raise exec_error(st, node, "time limit exceeded: the render ran longer than its time budget")


def exec_error(st: State, node: Node | None, msg: str) -> TemplateExecError:
    prog = st.prog
    if node is None:
        return TemplateExecError(
            f"template: {st.tmpl_name}: {msg}", message=msg, name=st.tmpl_name, line=0, col=0
        )
    line, col, go_col = position(prog.text, node.pos)
    # Values quoted in a message may hold stray bytes; keep the text valid Unicode.
    msg = printable_output(msg)
    text = printable_output(
        f"template: {prog.name}:{line}:{go_col}: executing {quote(st.tmpl_name)} at <{node}>: {msg}"
    )
    return TemplateExecError(text, message=msg, name=st.tmpl_name, line=line, col=col)


def _fail(node: Node, msg: str) -> Eval:
    def ev(st: State, dot: object, *_: object) -> object:
        raise exec_error(st, node, msg)

    return ev


def _const(value: object) -> Eval:
    def ev(st: State, dot: object, *_: object) -> object:
        return value

    return ev


def _missing(st: State, node: Node, m: dict, name: str) -> object:
    # A field that came out nil: absent from the map, or present and null.
    if st.missing_error and name not in m:
        raise exec_error(st, node, f"map has no entry for key {quote(name)}")
    return st.missing


def walk_fields(st: State, node: Node, recv: object, names: list[str], iface: bool, has_args: bool) -> object:
    """Go's evalFieldChain. ``recv`` is _INVALID for a missing value and None for an
    interface{} holding nil; ``iface`` says the receiver's static type is interface{}."""
    last = len(names) - 1
    for i, name in enumerate(names):
        if recv is _INVALID:
            if st.missing_error:
                raise exec_error(st, node, f"nil data; no entry for key {quote(name)}")
            return st.missing
        if recv is None:
            if st.lenient:  # product mode: a null on the way is as missing as an absent key
                return st.missing
            raise exec_error(st, node, f"nil pointer evaluating interface {{}}.{name}")
        if is_map(recv):
            if has_args and i == last:
                raise exec_error(st, node, f"{name} is not a method but has arguments")
            v = recv.get(name, _MISSING)  # type: ignore[attr-defined]
            if v is _MISSING:
                if st.missing_error:
                    raise exec_error(st, node, f"map has no entry for key {quote(name)}")
                v = None if st.missing_zero else _INVALID
            recv = v
            iface = True
            continue
        typ = "interface {}" if iface else type_name(recv)
        raise exec_error(st, node, f"can't evaluate field {name} in type {typ}")
    if recv is _INVALID or recv is None:
        return st.missing
    return recv


def ideal_constant(n: NumberNode) -> tuple[bool, object]:
    """(ok, value) of a number literal used as a value: Go's idealConstant."""
    text = n.text
    if n.is_complex:
        return True, n.complex128
    is_hex_int = len(text) > 2 and text[0] == "0" and text[1] in "xX" and not any(c in text for c in "pP")
    if n.is_float and not is_hex_int and text[0] != "'" and any(c in text for c in ".eEpP"):
        return True, n.float64
    if n.is_int:
        return True, GoInt(n.int64)
    if n.is_uint:
        return False, f"{text} overflows int"
    return True, None


def _last_node(n: Node) -> Node:
    # The node Go's state points at once ``n`` is evaluated (its last operand), which
    # errors found after the evaluation name.
    while True:
        if isinstance(n, PipeNode):
            n = n.cmds[-1].args[-1]
        elif isinstance(n, ChainNode) and isinstance(n.node, PipeNode):
            n = n.node
        else:
            return n


class Compiler:
    def __init__(self, prog: Program) -> None:
        self.prog = prog

    def tree(self, tree: Tree) -> Compiled:
        assert tree.root is not None
        return Compiled(tree.name, self.list(tree.root, False), tree.nslots)

    # -- statements ---------------------------------------------------------------------

    def list(self, lst: ListNode, elem_dot: bool) -> Run:
        """``elem_dot``: dot is a range element here, whose nil is an interface{} nil."""
        nodes = [n for n in lst.nodes if not isinstance(n, CommentNode)]
        fns = [self.node(n, elem_dot) for n in nodes]
        if not fns:
            return _noop
        if len(fns) == 1:
            return fns[0]
        fns_t = tuple(fns)
        # Texts and {{.Name}} actions, which make most of a URL or a JSON body, are done
        # inline when dot is a map; anything else, or another dot, goes through closures.
        items = []
        inline = 0
        for n, f in zip(nodes, fns, strict=True):
            if isinstance(n, TextNode):
                items.append((0, n.text, None))
                inline += 1
            elif (name := _simple_field_name(n)) is not None:
                items.append((1, name, f))
                inline += 1
            else:
                items.append((2, None, f))
        if inline < 2:

            def run(st: State, dot: object) -> None:
                for f in fns_t:
                    f(st, dot)

            return run
        items_t = tuple(items)

        def run_inline(st: State, dot: object) -> None:
            if dot.__class__ is not dict:
                for f in fns_t:
                    f(st, dot)
                return
            out = st.out
            get = dot.get  # type: ignore[attr-defined]
            for kind, x, f in items_t:
                if kind == 0:
                    out.append(x)
                elif kind == 1:
                    v = get(x)
                    if v.__class__ is str:
                        out.append(v)
                    else:
                        f(st, dot)
                else:
                    f(st, dot)

        return run_inline

    def node(self, n: Node, elem_dot: bool) -> Run:
        if isinstance(n, TextNode):
            return _text(n.text)
        if isinstance(n, ActionNode):
            return self.action(n, elem_dot)
        if isinstance(n, IfNode):
            return self.if_(n, elem_dot)
        if isinstance(n, RangeNode):
            return self.range_(n, elem_dot)
        if isinstance(n, WithNode):
            return self.with_(n, elem_dot)
        if isinstance(n, TemplateNode):
            return self.template(n, elem_dot)
        if isinstance(n, BreakNode):
            return _break
        if isinstance(n, ContinueNode):
            return _continue
        raise AssertionError(f"unknown node {type(n).__name__}")

    def action(self, n: ActionNode, elem_dot: bool) -> Run:
        pipe = n.pipe
        if not pipe.decl and len(pipe.cmds) == 1:
            fast = self._simple_field_action(pipe.cmds[0], elem_dot)
            if fast is not None:
                return fast
        ev = self.pipe(pipe, elem_dot)
        if pipe.decl:

            def run_decl(st: State, dot: object) -> None:
                ev(st, dot)

            return run_decl

        def run(st: State, dot: object) -> None:
            v = ev(st, dot)
            if v.__class__ is str:
                st.out.append(v)  # type: ignore[arg-type]
            elif v is None:
                st.out.append(st.novalue)
            else:
                st.out.append(format_value(v))

        return run

    def _simple_field_action(self, cmd: CommandNode, elem_dot: bool) -> Run | None:
        # {{.Name}}: the most common action by far, looked up and printed in one closure.
        if len(cmd.args) != 1 or not isinstance(cmd.args[0], FieldNode) or len(cmd.args[0].ident) != 1:
            return None
        node = cmd.args[0]
        assert isinstance(node, FieldNode)
        name = node.ident[0]
        names = node.ident

        def run(st: State, dot: object) -> None:
            if dot.__class__ is dict:
                v = dot.get(name)  # type: ignore[attr-defined]
                if v.__class__ is str:
                    st.out.append(v)  # type: ignore[arg-type]
                    return
                if v is None:
                    v = _missing(st, node, dot, name)  # type: ignore[arg-type]
            else:
                recv = dot if dot is not None or elem_dot else _INVALID
                v = walk_fields(st, node, recv, names, elem_dot, False)
            if v.__class__ is str:
                st.out.append(v)  # type: ignore[arg-type]
            elif v is None:
                st.out.append(st.novalue)
            else:
                st.out.append(format_value(v))

        return run

    def if_(self, n: IfNode, elem_dot: bool) -> Run:
        ev = self.pipe(n.pipe, elem_dot)
        body = self.list(n.list, elem_dot)
        else_body = self.list(n.else_list, elem_dot) if n.else_list is not None else None

        def run(st: State, dot: object) -> None:
            if truth(ev(st, dot)):
                body(st, dot)
            elif else_body is not None:
                else_body(st, dot)

        return run

    def with_(self, n: WithNode, elem_dot: bool) -> Run:
        ev = self.pipe(n.pipe, elem_dot)
        body = self.list(n.list, False)
        else_body = self.list(n.else_list, elem_dot) if n.else_list is not None else None

        def run(st: State, dot: object) -> None:
            v = ev(st, dot)
            if truth(v):
                body(st, v)
            elif else_body is not None:
                else_body(st, dot)

        return run

    def range_(self, n: RangeNode, elem_dot: bool) -> Run:
        ev = self.pipe(n.pipe, elem_dot)
        body = self.list(n.list, True)
        else_body = self.list(n.else_list, elem_dot) if n.else_list is not None else None
        elem_ref = n.elem_ref
        elem_slot = elem_ref.slot if elem_ref is not None else None
        mark_nil = elem_ref is not None and elem_ref.range_elem
        index_slot = n.index_slot
        err_node = _last_node(n.pipe)

        def run(st: State, dot: object) -> None:
            v = ev(st, dot)
            frame = st.vars
            if is_list(v):
                if v:
                    for i, e in enumerate(v):  # type: ignore[arg-type]
                        checkpoint(st, n)
                        if elem_slot is not None:
                            frame[elem_slot] = NIL_ELEM if e is None and mark_nil else e
                            if index_slot is not None:
                                frame[index_slot] = GoInt(i)
                        try:
                            body(st, e)
                        except _Continue:
                            pass
                        except _Break:
                            break
                    return
            elif is_map(v):
                if v:
                    for k in sorted_keys(v):  # type: ignore[arg-type]
                        checkpoint(st, n)
                        e = v[k]  # type: ignore[index]
                        if elem_slot is not None:
                            frame[elem_slot] = NIL_ELEM if e is None and mark_nil else e
                            if index_slot is not None:
                                frame[index_slot] = k
                        try:
                            body(st, e)
                        except _Continue:
                            pass
                        except _Break:
                            break
                    return
            elif v is not None:
                raise exec_error(st, err_node, f"range can't iterate over {format_value(v)}")
            if else_body is not None:
                # Go's range recovers a break raised anywhere inside it, its else branch
                # included: a {{break}} there (meant for an outer range) ends this one only.
                with contextlib.suppress(_Break):
                    else_body(st, dot)

        return run

    def template(self, n: TemplateNode, elem_dot: bool) -> Run:
        name = n.name
        ev = self.pipe(n.pipe, elem_dot) if n.pipe is not None else None
        templates = self.prog.templates

        def run(st: State, dot: object) -> None:
            t = templates.get(name)
            if t is None:
                raise exec_error(st, n, f"template {quote(name)} not defined")
            if st.depth >= MAX_EXEC_DEPTH:
                raise exec_error(st, n, f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
            checkpoint(st, n)
            # A template starts with no variables but $, and dot is the pipeline's value.
            new_dot = ev(st, dot) if ev is not None else None
            saved_vars, saved_name = st.vars, st.tmpl_name
            frame = [None] * t.nslots
            frame[0] = new_dot
            st.vars = frame
            st.tmpl_name = t.name
            st.depth += 1
            try:
                t.run(st, new_dot)
            except RecursionError:
                # Python's stack ends long before Go's 100000 levels; fail the same way.
                raise exec_error(st, n, f"exceeded maximum template depth ({st.depth})") from None
            st.depth -= 1
            st.vars, st.tmpl_name = saved_vars, saved_name

        return run

    # -- expressions --------------------------------------------------------------------

    def pipe(self, pipe: PipeNode, elem_dot: bool) -> Eval:
        first = self.command(pipe.cmds[0], False, pipe, elem_dot)
        rest = tuple(self.command(c, True, pipe, elem_dot) for c in pipe.cmds[1:])
        decls = []
        err_node = _last_node(pipe)
        for v in pipe.decl:
            slot = v.ref.slot if v.ref is not None else None
            decls.append((slot, v))
        if not rest and not decls:
            return first
        decls_t = tuple(decls)

        def ev(st: State, dot: object) -> object:
            v = first(st, dot)
            for c in rest:
                v = c(st, dot, v)
            for slot, var in decls_t:
                if slot is None:
                    raise exec_error(st, err_node, f"undefined variable: {var.ident[0]}")
                st.vars[slot] = v
            return v

        return ev

    def command(self, cmd: CommandNode, has_final: bool, pipe: PipeNode, elem_dot: bool) -> Eval:
        first = cmd.args[0]
        has_args = len(cmd.args) > 1 or has_final
        if isinstance(first, IdentifierNode):
            return self.call(first, cmd.args[1:], has_final, cmd, elem_dot)
        if isinstance(first, FieldNode):
            ev = self.field(first, has_args, elem_dot)
        elif isinstance(first, ChainNode):
            ev = self.chain(first, has_args, elem_dot)
        elif isinstance(first, VariableNode):
            ev = self.variable(first, has_args)
        elif isinstance(first, PipeNode):
            if has_args:
                return _fail(pipe, f"can't give argument to non-function {first}")
            ev = self.pipe(first, elem_dot)
        else:
            if has_args:
                return _fail(first, f"can't give argument to non-function {first}")
            ev = self.literal(first, "a")
        if has_final:
            inner = ev

            def ev_final(st: State, dot: object, final: object) -> object:
                return inner(st, dot)

            return ev_final
        return ev

    def literal(self, n: Node, ptype: str) -> Eval:
        if isinstance(n, DotNode):
            return _dot
        if isinstance(n, NilNode):
            return _fail(n, "nil is not a command")
        if ptype == "s":
            if isinstance(n, StringNode):
                return _const(n.text)
            return _fail(n, f"expected string; found {n}")
        if isinstance(n, BoolNode):
            return _const(n.true)
        if isinstance(n, StringNode):
            return _const(n.text)
        if isinstance(n, NumberNode):
            ok, value = ideal_constant(n)
            return _const(value) if ok else _fail(n, str(value))
        raise AssertionError(f"not a literal: {type(n).__name__}")

    def field(self, n: FieldNode, has_args: bool, elem_dot: bool) -> Eval:
        names = n.ident
        if len(names) == 1 and not has_args:
            name = names[0]

            def ev1(st: State, dot: object) -> object:
                if dot.__class__ is dict:
                    v = dot.get(name)  # type: ignore[attr-defined]
                    if v is None:
                        return _missing(st, n, dot, name)  # type: ignore[arg-type]
                    return v
                return walk_fields(
                    st, n, dot if dot is not None or elem_dot else _INVALID, names, elem_dot, False
                )

            return ev1

        def ev(st: State, dot: object) -> object:
            return walk_fields(
                st, n, dot if dot is not None or elem_dot else _INVALID, names, elem_dot, has_args
            )

        return ev

    def chain(self, n: ChainNode, has_args: bool, elem_dot: bool) -> Eval:
        inner = n.node
        if isinstance(inner, PipeNode):
            base = self.pipe(inner, elem_dot)
        elif isinstance(inner, IdentifierNode):
            base = self.call(inner, [], False, inner, elem_dot)
        else:
            return _fail(n, f"indirection through explicit nil in {n}")
        names = n.field
        err_node = _last_node(inner)

        def ev(st: State, dot: object) -> object:
            v = base(st, dot)
            return walk_fields(st, err_node, _INVALID if v is None else v, names, False, has_args)

        return ev

    def variable(self, n: VariableNode, has_args: bool) -> Eval:
        ref = n.ref
        slot = ref.slot if ref is not None else None
        name = n.ident[0]
        if slot is None:
            return _fail(n, f"undefined variable: {name}")
        range_elem = ref is not None and ref.range_elem
        if len(n.ident) == 1:
            if has_args:
                return _fail(n, f"can't give argument to non-function {n}")
            if range_elem:

                def ev_elem(st: State, dot: object) -> object:
                    v = st.vars[slot]
                    return None if v is NIL_ELEM else v

                return ev_elem

            def ev_var(st: State, dot: object) -> object:
                return st.vars[slot]

            return ev_var
        names = n.ident[1:]

        def ev(st: State, dot: object) -> object:
            v = st.vars[slot]
            if v is NIL_ELEM:
                v = None
            elif v is None:
                v = _INVALID
            return walk_fields(st, n, v, names, range_elem, has_args)

        return ev

    def arg(self, n: Node, ptype: str, elem_dot: bool) -> Eval:
        """Go's evalArg: an argument for a parameter of type ptype ('a' any, 's' string)."""
        if isinstance(n, DotNode):
            ev = _dot
        elif isinstance(n, NilNode):
            return _fail(n, "cannot assign nil to string") if ptype == "s" else _const(None)
        elif isinstance(n, FieldNode):
            ev = self.field(n, False, elem_dot)
        elif isinstance(n, VariableNode):
            ev = self.variable(n, False)
        elif isinstance(n, PipeNode):
            ev = self.pipe(n, elem_dot)
        elif isinstance(n, IdentifierNode):
            ev = self.call(n, [], False, n, elem_dot)
        elif isinstance(n, ChainNode):
            ev = self.chain(n, False, elem_dot)
        else:
            return self.literal(n, ptype)
        if ptype == "s":
            return _want_string(ev, _last_node(n))
        return ev

    def call(
        self, ident: IdentifierNode, args: list[Node], has_final: bool, cmd: Node, elem_dot: bool
    ) -> Eval:
        name = ident.ident
        spec = FUNCS[name]
        nargs = len(args)
        num_in = nargs + (1 if has_final else 0)
        params = spec.params
        if spec.variadic is not None:
            if num_in < len(params):
                return _fail(
                    ident, f"wrong number of args for {name}: want at least {len(params)} got {nargs}"
                )
        elif num_in != len(params):
            return _fail(ident, f"wrong number of args for {name}: want {len(params)} got {num_in}")

        def ptype(i: int) -> str:
            return params[i] if i < len(params) else spec.variadic  # type: ignore[return-value]

        evs = tuple(self.arg(a, ptype(i), elem_dot) for i, a in enumerate(args))
        final_type = ptype(num_in - 1) if has_final else "a"

        if name == "and" or name == "or":
            return _and_or(name == "or", evs, has_final, final_type)

        impl = spec.impl
        if spec.needs_state:
            base_impl = impl

            def impl_with_state(st: State, *a: object) -> object:
                return base_impl(st.tz, *a)

            return _caller(impl_with_state, evs, has_final, final_type, cmd, name, True)
        return _caller(impl, evs, has_final, final_type, cmd, name, False)


def _simple_field_name(n: Node) -> str | None:
    """The NAME of an action {{.NAME}}, else None."""
    if isinstance(n, ActionNode) and not n.pipe.decl and len(n.pipe.cmds) == 1:
        args = n.pipe.cmds[0].args
        if len(args) == 1 and isinstance(args[0], FieldNode) and len(args[0].ident) == 1:
            return args[0].ident[0]
    return None


def _noop(st: State, dot: object) -> None:
    return None


def _dot(st: State, dot: object, *_: object) -> object:
    return dot


def _text(s: str) -> Run:
    def run(st: State, dot: object) -> None:
        st.out.append(s)

    return run


def _break(st: State, dot: object) -> None:
    raise _Break()


def _continue(st: State, dot: object) -> None:
    raise _Continue()


def _check_string(st: State, node: Node, v: object) -> str:
    if isinstance(v, str):
        return v
    if v is None:
        raise exec_error(st, node, "invalid value; expected string")
    raise exec_error(st, node, f"wrong type for value; expected string; got {type_name(v)}")


def _want_string(ev: Eval, node: Node) -> Eval:
    def ev_s(st: State, dot: object) -> object:
        v = ev(st, dot)
        if v.__class__ is str:
            return v
        return _check_string(st, node, v)

    return ev_s


def _and_or(is_or: bool, evs: tuple[Eval, ...], has_final: bool, final_type: str) -> Eval:
    # Go 1.18+: arguments are evaluated only until one decides the result.
    if has_final:

        def ev_final(st: State, dot: object, final: object) -> object:
            for a in evs:
                v = a(st, dot)
                if truth(v) == is_or:
                    return v
            return final

        return ev_final

    def ev(st: State, dot: object) -> object:
        v = None
        for a in evs:
            v = a(st, dot)
            if truth(v) == is_or:
                return v
        return v

    return ev


def _caller(
    impl: Callable,
    evs: tuple[Eval, ...],
    has_final: bool,
    final_type: str,
    cmd: Node,
    name: str,
    with_state: bool,
) -> Eval:
    def failed(st: State, err: CallError) -> TemplateExecError:
        return exec_error(st, cmd, f"error calling {name}: {err}")

    if has_final:

        def ev_final(st: State, dot: object, final: object) -> object:
            vals = [a(st, dot) for a in evs]
            if final_type == "s" and final.__class__ is not str:
                final = _check_string(st, cmd, final)
            vals.append(final)
            try:
                return impl(st, *vals) if with_state else impl(*vals)
            except CallError as err:
                raise failed(st, err) from None

        return ev_final

    if with_state:

        def ev_state(st: State, dot: object) -> object:
            vals = [a(st, dot) for a in evs]
            try:
                return impl(st, *vals)
            except CallError as err:
                raise failed(st, err) from None

        return ev_state

    if len(evs) == 1:
        (a0,) = evs

        def ev1(st: State, dot: object) -> object:
            x = a0(st, dot)
            try:
                return impl(x)
            except CallError as err:
                raise failed(st, err) from None

        return ev1

    if len(evs) == 2:
        a0, a1 = evs

        def ev2(st: State, dot: object) -> object:
            x = a0(st, dot)
            y = a1(st, dot)
            try:
                return impl(x, y)
            except CallError as err:
                raise failed(st, err) from None

        return ev2

    def ev(st: State, dot: object) -> object:
        vals = [a(st, dot) for a in evs]
        try:
            return impl(*vals)
        except CallError as err:
            raise failed(st, err) from None

    return ev


def compile_program(name: str, text: str, trees: dict[str, Tree]) -> Program:
    prog = Program(name, text)
    compiler = Compiler(prog)
    for tname, tree in trees.items():
        prog.templates[tname] = compiler.tree(tree)
    return prog
