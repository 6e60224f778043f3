"""Run a template against a CRM from the command line: no database, no portal.

    python -m integrations.run TEMPLATE.xml users                      --set crm_url=… --set api_key=…
    python -m integrations.run TEMPLATE.xml lookup +14155550100         [--type Contacts]
    python -m integrations.run TEMPLATE.xml create +14155550100         [--type Contacts] [--set FirstName=Ann]
    python -m integrations.run TEMPLATE.xml journal CALL.json           [--timezone Europe/Berlin]

``--set NAME=VALUE`` fills a custom field (and, for create, a contact field); bearer-token
templates fetch their token themselves; OAuth2 takes ``--set AccessToken=…``.
``--verbose`` prints every request and answer to standard error, secrets masked.
Results go to standard output, one JSON object a line.

Exit status: 0 on success (lookup: at least one contact), 1 when nothing was found,
2 on an error, with one line saying what, which request and the status.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from templates_app.xmlmodel import TemplateXMLError, load_template
from templates_app.xmlmodel import vocabulary as v

from .auth import Credentials
from .callrecord import CallRecordError, journal_variables, parse_event, with_subject_and_description
from .engine import ConfigurationError, Engine, Exchange
from .errors import CrmError

FOUND, NOTHING, FAILED = 0, 1, 2
ACTIONS = ("users", "lookup", "create", "journal")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m integrations.run", description="Run an integration template against a CRM."
    )
    parser.add_argument("template", type=Path, help="the integration template (.xml)")
    parser.add_argument("action", choices=ACTIONS)
    parser.add_argument("arg", nargs="?", help="lookup/create: the phone number; journal: the call record (.json)")
    parser.add_argument("--set", dest="values", action="append", default=[], metavar="NAME=VALUE",
                        help="a custom field, AccessToken (OAuth2), or a contact field for create")
    parser.add_argument("--type", dest="types", action="append", default=[], metavar="TYPE",
                        help="a contact type (a SyncContactAuto / CreateNewContact request name)")
    parser.add_argument("--timezone", default="UTC", help="the PBX's time zone (journal times)")
    parser.add_argument("--verbose", action="store_true", help="print each request and answer (secrets masked)")
    return parser


def _values(pairs: Sequence[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ConfigurationError(f"--set {pair!r}: write NAME=VALUE")
        values[name] = value
    return values


def _show(exchange: Exchange) -> None:
    status = exchange.status if exchange.status is not None else "—"
    print(f"→ {exchange.method} {exchange.url}  [{exchange.request}]", file=sys.stderr)
    for name, value in exchange.headers:
        print(f"  {name}: {value}", file=sys.stderr)
    if exchange.body:
        print(f"  {exchange.body}", file=sys.stderr)
    print(f"← {status} in {exchange.milliseconds:.0f} ms", file=sys.stderr)
    if exchange.answer:
        print(f"  {exchange.answer[:2000]}", file=sys.stderr)
    if exchange.error:
        print(f"  ✗ {exchange.error}", file=sys.stderr)


def _emit(record: dict) -> None:
    print(json.dumps(record, ensure_ascii=False))


def run(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except TemplateXMLError as err:
        first = err.problems[0]
        more = f" (and {len(err.problems) - 1} more)" if len(err.problems) > 1 else ""
        print(f"error: {args.template}: line {first.line}, column {first.col}: {first.message}{more}", file=sys.stderr)
    except (CrmError, CallRecordError) as err:
        print(f"error: {err}", file=sys.stderr)
    except OSError as err:
        print(f"error: {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
    return FAILED


def _run(args: argparse.Namespace) -> int:
    template = load_template(args.template.read_bytes())
    values = _values(args.values)
    token = values.pop("AccessToken", "")
    engine = Engine(
        template,
        settings=values,
        credentials=Credentials(access_token=token) if token else None,
        timezone=args.timezone,
        observer=_show if args.verbose else None,
    )
    with engine:
        engine.connect()
        if args.action == "users":
            count = 0
            for user in engine.users():
                _emit(user)
                count += 1
            return FOUND if count else NOTHING
        if not args.arg:
            raise ConfigurationError(f"{args.action} needs {'a call record file' if args.action == 'journal' else 'a phone number'}")
        if args.action == "lookup":
            contacts = engine.lookup(args.arg, args.types or None)
            for found in contacts:
                _emit(found.as_json())
            return FOUND if contacts else NOTHING
        if args.action == "create":
            return _create(engine, args, values)
        return _journal(engine, args)


def _create(engine: Engine, args: argparse.Namespace, values: dict[str, str]) -> int:
    scenario = engine.template.scenario(v.CREATE_NEW_CONTACT)
    names = [r.name for r in scenario.requests] if scenario else []
    if not names:
        raise ConfigurationError("the template has no CreateNewContact request")
    kind = args.types[0] if args.types else names[0]
    variables = {"BusinessNumber": args.arg, "FirstName": args.arg, "LastName": "", **values,
                 "ContactNumber": args.arg, "Phone": args.arg}
    records = engine.run(v.CREATE_NEW_CONTACT, kind, variables)
    _emit({"ContactSyncType": kind, **(records[0] if records else {}),
           **{k: variables[k] for k in ("FirstName", "LastName", "BusinessNumber")}})
    return FOUND


def _journal(engine: Engine, args: argparse.Namespace) -> int:
    record = parse_event(Path(args.arg).read_text(encoding="utf-8"))
    journal = engine.template.scenario(v.CALL_JOURNAL)
    if journal is None:
        raise ConfigurationError("the template has no CallJournal scenario")
    variables = journal_variables(record, timezone=args.timezone)
    number = variables["ContactNumber"]
    contacts = engine.lookup(number) if engine.template.scenario(v.SYNC_CONTACT_AUTO) else []
    if contacts:
        first = contacts[0]
        name = " ".join(x for x in (first.fields.get("FirstName"), first.fields.get("LastName")) if x)
        variables = journal_variables(record, timezone=args.timezone, contact_name=name,
                                      contact_id=first.fields.get("ContactsId", ""), contact_type=first.contact_type)
    variables = with_subject_and_description(
        {**engine.scope(), **variables}, journal.value("Subject"), journal.value("Description"), timezone=args.timezone
    )
    records = engine.run(v.CALL_JOURNAL, v.CALL_JOURNAL if journal.request(v.CALL_JOURNAL) else None, variables)
    _emit({"call_id": record.get("call_id", ""), "Subject": variables["Subject"],
           "Description": variables["Description"], "ContactId": variables["ContactId"],
           **(records[0] if records else {})})
    return FOUND


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
