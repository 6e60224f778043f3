"""Inputs for the benchmarks, generated deterministically so every run measures the same work."""

from __future__ import annotations

import json
import random
from xml.sax.saxutils import quoteattr

# What a SyncContactAuto request maps from a contact search answer: the guide's 15-ish
# outputs, with a query as CustomValue.
CONTACT_PATHS = [
    "data.#.id",
    "data.#.first_name",
    "data.#.last_name",
    "data.#.account.name",
    "data.#.email",
    "data.#.phone",
    "data.#.mobile",
    "data.#.home_phone",
    "data.#.fax",
    "data.#.address.zip",
    "data.#.address.street",
    "data.#.address.city",
    "data.#.address.state",
    "data.#.address.country",
    'data.#(phone=="+14155550150")#.owner.id',
]


def contacts_answer(n: int, seed: int = 7) -> str:
    """A CRM search answer with ``n`` contacts, about 500 bytes each, pretty-printed as CRMs do."""
    rnd = random.Random(seed)
    firsts = ["Ann", "Ben", "Cy", "Dana", "Eli", "José", "Zoë", "Mia", "Noah", "Olga"]
    lasts = ["Smith", "Ñúñez", "Lee", "Meyer", "Okafor", "Rossi", "Tanaka", "Dubois"]
    data = []
    for i in range(n):
        first, last = rnd.choice(firsts), rnd.choice(lasts)
        data.append({
            "id": f"5003{i:06d}",
            "first_name": first,
            "last_name": last,
            "account": {"id": f"acc-{i % 17}", "name": f"{last} & Sons {i % 17}"},
            "email": f"{first.lower()}.{i}@example.com",
            "phone": f"+1415555{i:04d}",
            "mobile": f"+1650555{rnd.randrange(10000):04d}",
            "home_phone": None if i % 3 else f"+1212555{i:04d}",
            "fax": "",
            "address": {"street": f"{i} Market St", "city": "San Francisco", "state": "CA",
                        "zip": f"94{i % 1000:03d}", "country": "US"},
            "owner": {"id": f"u-{i % 5}", "name": "Agent"},
            "tags": ["customer", "vip"] if i % 7 == 0 else ["customer"],
            "created_at": "2024-03-05T14:07:09Z",
        })
    return json.dumps({"data": data, "info": {"count": n, "more_records": False}}, indent=2, ensure_ascii=False)


CALL = {
    "Time": "2024-03-05 14:07:09", "StartTimeUnix": "1709647629", "EndTimeUnix": "1709647701",
    "Call_From": "Alice Smith<+14155550100>", "Call_To": "Bob<1001>", "CallerName": "Alice Smith",
    "CallerNumber": "+14155550100", "CalleeName": "Bob", "CalleeNumber": "1001", "CrmId": "u-77",
    "ExtensionFirstName": "Bob", "ExtensionLastName": "Lee", "ExtensionEmail": "bob@example.com",
    "ContactSyncType": "contacts", "ContactNumber": "+14155550100", "ContactId": "5003000000",
    "TicketId": "", "CallDuration": "72", "Talk_Duration": "00:01:02", "Talk_Duration_Sec": "62",
    "Communication_Type": "Inbound", "Call_Status": "Completed", "Call_Log_Status": "Incoming Call",
    "CallDisposition": "ANSWERED", "Subject": "Extension Call", "Description": "Call with Alice",
    "EnableCallRecording": "1", "RecordPath": "", "crm_url": "https://crm.example.com", "Phone": "+1 415 555 0100",
}


def typical_templates() -> list[tuple[str, str, dict]]:
    """(label, template, data): a search URL and a call-journal body as templates use them."""
    url = "{{.crm_url}}/crm/v2/Contacts/search?criteria=((Phone:equals:{{UrlEncode .Phone}})or(Mobile:equals:{{UrlEncode .Phone}}))"
    body = json.dumps({
        "data": [{
            "Subject": "{{.Subject}}", "Call_Type": "{{.Communication_Type}}", "Call_Start_Time": "{{.Time}}",
            "Call_Duration": "{{.Talk_Duration}}", "Call_Duration_in_seconds": "{{.Talk_Duration_Sec}}",
            "Description": "{{.Description}}", "Call_Result": "{{.CallDisposition}}",
            "Who_Id": {"id": "{{.ContactId}}"}, "$se_module": "{{Capitalize .ContactSyncType}}",
            "Owner": {"id": "{{.CrmId}}"}, "Caller_ID": "{{.CallerNumber}}", "Dialled_Number": "{{.CalleeNumber}}",
            "From": "{{.Call_From}}", "To": "{{.Call_To}}", "Status": "{{.Call_Status}}",
            "Log_Status": "{{.Call_Log_Status}}", "Ext": "{{.ExtensionFirstName}} {{.ExtensionLastName}}",
            "Email": "{{.ExtensionEmail}}", "Start": "{{ToMillis .StartTimeUnix}}",
            "Recording": "{{if .RecordPath}}{{.RecordPath}}{{else}}none{{end}}",
        }]
    })
    return [("search URL", url, CALL), ("20-variable journal body", body, CALL)]


_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<Information Provider="crm" Name="Bench CRM" Key="bench_crm" Logo="bench.png" Remark="benchmark" Version="1.0.0" AuthType="basic" MaxConcurrentRequest="10" UserAssociation="0" CallJournal="1" CreateNewContact="0" CreateNewTicket="0">
  <Scenarios>
    <Scenario Id="AuthMethod" Type="AUTH">
      <Parameters>
        <Parameter Name="AuthMethod" Value="basic" />
        <Parameter Name="CredentialType" Value="username_password" />
        <Parameter Name="Base64EncodedCredential" Value="{{.username}}:{{.password}}" />
        <Parameter Father="CustomFieldList" Name="username" Editor="string" Title="User" />
        <Parameter Father="CustomFieldList" Name="password" Editor="password" Title="Password" />
        <Parameter Father="CustomFieldList" Name="crm_url" Editor="string" Title="CRM URL" />
        <Parameter Father="PopulateTemplateString" Name="Accept" Type="Header" Value="application/json" />
      </Parameters>
      <Requests />
    </Scenario>
    <Scenario Id="SyncContactAuto" Type="REST">
      <Parameters>
        <Parameter Name="ContactUrlType" Value="specify_url_format" />
        <Parameter Name="URLFormat" Value="{{.crm_url}}/crm/tab/{{Capitalize .ContactSyncType}}/{{.ContactId}}" />
        <Parameter Name="ContactsIdEnable" Value="1" />
        <Parameter Name="FirstNameEnable" Value="1" />
        <Parameter Name="BusinessNumberEnable" Value="1" />
      </Parameters>
      <Requests>
        <Request Name="Contacts" Method="GET" ResponseType="application/json" URLFormat="{{.crm_url}}/api/contacts?phone={{UrlEncode .Phone}}">
          <Outputs Next="Lookup0">
            <Output Name="ContactsId" Path="data.#.id" Type="string" />
            <Output Name="FirstName" Path="data.#.first_name" Type="string" />
            <Output Name="BusinessNumber" Path="data.#.phone" Type="string" />
          </Outputs>
        </Request>
      </Requests>
    </Scenario>
    <Scenario Id="CallJournal" Type="REST">
      <Parameters>
        <Parameter Name="EnableSubject" Value="1" />
        <Parameter Name="Subject" Value="Extension Call" />
        <Parameter Name="EnableDescription" Value="1" />
        <Parameter Name="Description" Value="Call: {{.Time}} {{.Call_Log_Status}} from {{.Call_From}} to {{.Call_To}} {{.Talk_Duration}}" />
        <Parameter Name="EnablePlayCallRecording" Value="1" />
        <Parameter Name="PlayCallRecording" Value="0" />
      </Parameters>
      <Requests>
        <Request Name="CallJournal" Method="POST" ResponseType="application/json" URLFormat="{{.crm_url}}/api/calls">
          <Parameters>
            <Parameter Name="Data" Type="Body" Value={body} />
          </Parameters>
          <Outputs />
        </Request>
      </Requests>
    </Scenario>
    <Scenario Id="Common" Type="REST">
      <Requests>
"""

_REQUEST = """        <Request Name="Lookup{i}" Method="GET" ResponseType="application/json" URLFormat="{{{{.crm_url}}}}/api/contacts/{{{{.ContactsId}}}}/identities?page={i}&amp;q={{{{UrlEncode .Phone}}}}">
          <Parameters />
          <Outputs>
            <Output Name="BusinessNumber2" Path="identities.#(type==&quot;phone_number&quot;)#|1.value" />
            <Output Name="MobileNumber" Path="identities.#(type==&quot;mobile&quot;)#|0.value" />
            <Output Name="HomeNumber" Path="identities.#(type==&quot;home&quot;).value" />
            <Output Name="Street" Path="data.#(phone==&quot;{{{{.Phone}}}}&quot;)#.street,data.#(mobile==&quot;{{{{.Phone}}}}&quot;)#.street" />
            <Output Name="City" Path="address.city" />
          </Outputs>
        </Request>
"""

_TAIL = """      </Requests>
    </Scenario>
  </Scenarios>
</Information>
"""


def large_template(target_bytes: int) -> str:
    """A valid template just under ``target_bytes``, grown with Common-scenario requests."""
    body = quoteattr(typical_templates()[1][1])
    head = _HEAD.replace("{body}", body)
    parts = [head]
    size = len(head.encode()) + len(_TAIL.encode())
    i = 0
    while True:
        req = _REQUEST.format(i=i)
        if size + len(req.encode()) > target_bytes:
            break
        parts.append(req)
        size += len(req.encode())
        i += 1
    parts.append(_TAIL)
    return "".join(parts)
