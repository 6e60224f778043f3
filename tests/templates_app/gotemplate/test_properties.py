"""Whatever the text and the data, parse and execute raise nothing but TemplateError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from templates_app.gotemplate import TemplateError, TemplateParseError, parse

# Pieces of template syntax, so that generated texts often get past the lexer.
ATOMS = [
    "{{",
    "}}",
    "{{- ",
    " -}}",
    "{{/*",
    "*/}}",
    " ",
    "\n",
    ".",
    ".a",
    ".a.b",
    ".l",
    ".m",
    "$",
    "$x",
    "$x := ",
    "$x = ",
    "$i, $v := ",
    "|",
    "(",
    ")",
    '"s"',
    '"\\xff"',
    "`r`",
    "'c'",
    "'\\n'",
    "1",
    "-2",
    "3.5",
    "1e3",
    "0x1F",
    "1i",
    "nil",
    "true",
    "false",
    "if ",
    "else ",
    "else if ",
    "end",
    "range ",
    "with ",
    "break",
    "continue",
    'define "T"',
    'template "T" ',
    'block "B" ',
    "print ",
    "printf ",
    '"%d %s %v %q %x %5.2f %!"',
    "len ",
    "index ",
    "slice ",
    "and ",
    "or ",
    "not ",
    "eq ",
    "ne ",
    "lt ",
    "le ",
    "gt ",
    "ge ",
    "html ",
    "js ",
    "urlquery ",
    "call ",
    "println ",
    "Capitalize ",
    "UrlEncode ",
    "ToMillis ",
    "TimeFormat ",
    '"yyyy-MM-dd HH:mm:ss.SSS" ',
    '"0"',
    '"1"',
    "é",
    "\x00",
]

template_texts = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(ATOMS), max_size=25).map("".join),
    st.lists(st.sampled_from(ATOMS), max_size=12).map(lambda parts: "{{" + "".join(parts) + "}}"),
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers()
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from("ablmsx") | st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=20,
)

FIXED_TEMPLATES = [
    "{{.}}",
    "{{.a}}{{.a.b}}{{.l}}{{.m.x}}",
    "{{range $i, $v := .}}{{$i}}:{{$v}};{{else}}none{{end}}",
    "{{range .l}}{{.a}}{{end}}",
    "{{with .a}}{{.b}}{{else}}-{{end}}",
    '{{printf "%d|%s|%v|%x|%q|%8.3f|%T" .a .b .l .m .s .x .}}',
    "{{len .a}}{{index .l 0}}{{slice .s 1}}",
    "{{eq .a .b}}{{lt .a .b}}{{ge .s .x}}",
    "{{html .}}{{js .}}{{urlquery .}}",
    "{{Capitalize .a}}{{UrlEncode .}}{{ToMillis .a}}",
    '{{TimeFormat .a "yyyy-MM-dd HH:mm:ss" "0"}}',
    "{{and .a .b}}{{or .a .b}}{{not .}}",
    '{{define "T"}}{{.}}{{end}}{{template "T" .m}}',
    "{{print . .a .l}}{{println .}}",
]

_settings = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(text=template_texts, data=json_values)
def test_parse_and_execute_of_arbitrary_text_raise_only_template_errors(text, data):
    try:
        tpl = parse(text)
    except TemplateParseError:
        return
    try:
        out = tpl.execute(data, timezone="Europe/Berlin")
    except TemplateError:
        return
    assert isinstance(out, str)
    out.encode("utf-8")  # the output is always valid text


@_settings
@given(
    text=st.sampled_from(FIXED_TEMPLATES),
    data=json_values,
    mode=st.sampled_from(["default", "empty", "zero", "error"]),
)
def test_executing_known_templates_on_arbitrary_json_raises_only_template_errors(text, data, mode):
    tpl = parse(text)
    try:
        out = tpl.execute(data, missingkey=mode)
    except TemplateError:
        return
    assert isinstance(out, str)
    out.encode("utf-8")
