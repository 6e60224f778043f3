"""Integration templates for the local CRM (crm_server.py), one per authentication method.

They are written the way real Zoho-style templates are (see shared/realworld-templates)
and must pass the portal's own validation.
"""

from __future__ import annotations

from html import escape

from templates_app.xmlmodel import load_template

AUTH = {
    "none": """
        <Parameter Name="AuthMethod" Value="none" />
        <Parameter Father="CustomFieldList" Name="api_key" Editor="password" Title="API Key" />""",
    "basic": """
        <Parameter Name="AuthMethod" Value="basic" />
        <Parameter Name="CredentialType" Value="username_password" />
        <Parameter Name="Base64EncodedCredential" Value="{{.username}}:{{.password}}" />
        <Parameter Father="CustomFieldList" Name="username" Editor="string" Title="Username" />
        <Parameter Father="CustomFieldList" Name="password" Editor="password" Title="Password" />""",
    "bearertoken": """
        <Parameter Name="AuthMethod" Value="bearertoken" />
        <Parameter Name="TokenEndPoint" Value="{{.crm_url}}/oauth/token?client_id={{.client_id}}&amp;client_secret={{.client_secret}}" />
        <Parameter Name="TokenRefreshInterval" Value="" />
        <Parameter Father="CustomFieldList" Name="client_id" Editor="string" Title="Client ID" />
        <Parameter Father="CustomFieldList" Name="client_secret" Editor="password" Title="Client Secret" />""",
    "oauth2": """
        <Parameter Name="AuthMethod" Value="oauth2" />
        <Parameter Name="AuthEndPoint" Value="{{.crm_url}}/oauth/authorize?client_id={{.client_id}}" />
        <Parameter Name="TokenEndPoint" Value="{{.crm_url}}/oauth/token" />
        <Parameter Name="Scope" Value="contacts.read,calls.write" />
        <Parameter Father="CustomFieldList" Name="client_id" Editor="string" Title="Client ID" />
        <Parameter Father="CustomFieldList" Name="client_secret" Editor="password" Title="Client Secret" />""",
}

# API keys travel in the query string for "none"; the others authenticate by header.
KEY = {"none": "&amp;api_key={{.api_key}}"}


def crm_template(
    auth: str = "basic",
    *,
    next_request: bool = False,
    global_info: bool = False,
    users_url: str = "{{.crm_url}}/crm/v2/users?page={{.Page}}&amp;per_page=200",
    search_path: str = "/crm/v2/{module}/search?phone={{{{UrlEncode .Phone}}}}",
    key: str = "local_crm",
    journal_extra: str = "",
) -> str:
    """The XML of a template for the local CRM."""
    q = KEY.get(auth, "")
    next_attr = ' Next="GetIdentities"' if next_request else ""
    search = "".join(
        f"""
        <Request Name="{module}" Method="GET" ResponseType="application/json" URLFormat="{{{{.crm_url}}}}{search_path.format(module=module)}{q}">
          <Outputs{next_attr}>
            <Output Name="ContactsId" Path="data.#.id" />
            <Output Name="FirstName" Path="data.#.First_Name" />
            <Output Name="LastName" Path="data.#.Last_Name" />
            <Output Name="Email" Path="data.#.Email" />
            <Output Name="BusinessNumber" Path="data.#.Phone" />
            <Output Name="MobileNumber" Path="data.#.Mobile" />
            <Output Name="Company" Path="data.#.Account_Name.name" />
          </Outputs>
        </Request>"""
        for module in ("Contacts", "Leads")
    )
    common = f"""
    <Scenario Id="Common" Type="REST">
      <Requests>
        <Request Name="GetIdentities" Method="GET" ResponseType="application/json" URLFormat="{{{{.crm_url}}}}/crm/v2/contacts/{{{{.ContactsId}}}}/identities{q.replace('&amp;', '?', 1)}">
          <Outputs>
            <Output Name="MobileNumber" Path="identities.#(type==&quot;mobile&quot;)#|0.value" />
            <Output Name="HomeNumber" Path="identities.#(type==&quot;home&quot;)#|0.value" />
          </Outputs>
        </Request>
      </Requests>
    </Scenario>""" if next_request else ""
    globals_ = f"""
    <Scenario Id="GetGlobalInfo" Type="REST">
      <Requests>
        <Request Name="GetOrg" Method="GET" ResponseType="application/json" URLFormat="{{{{.crm_url}}}}/crm/v2/org{q.replace('&amp;', '?', 1)}">
          <Outputs>
            <Output Name="OrgId" Path="org.#.id" />
            <Output Name="OrgDomain" Path="org.0.domain_name" />
          </Outputs>
        </Request>
      </Requests>
    </Scenario>""" if global_info else ""
    url_format = "{{.crm_url}}/crm/{{.OrgId}}/tab/{{.ContactSyncType}}/{{.ContactId}}" if global_info else \
        "{{.crm_url}}/crm/tab/{{.ContactSyncType}}/{{.ContactId}}"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Information Provider="crm" Name="Local CRM" Key="{key}" Remark="" Version="1.0.0" AuthType="{auth}" MaxConcurrentRequest="4" UserAssociation="1" CallJournal="1" CreateNewContact="1" CreateNewTicket="0">
  <Scenarios>
    <Scenario Id="AuthMethod" Type="AUTH">
      <Parameters>{AUTH[auth]}
        <Parameter Father="CustomFieldList" Name="crm_url" Editor="string" Title="CRM URL" />
        <Parameter Father="TokenErrorMap" Type="TokenInvalid" Name="TokenInvalid" Value="INVALID_TOKEN" />
        <Parameter Father="PopulateTemplateString" Name="Accept" Type="Header" Value="application/json" />
        <Parameter Father="PopulateTemplateString" Name="Content-Type" Type="Header" Value="application/json" />
      </Parameters>
      <Requests />
    </Scenario>
    <Scenario Id="UserAssociation" Type="REST">
      <Requests>
        <Request Name="UserAssociation" Method="GET" ResponseType="application/json" URLFormat="{users_url}{q}">
          <Outputs>
            <Output Name="UserUniqueId" Path="users.#.id" />
            <Output Name="FirstName" Path="users.#.first_name" />
            <Output Name="LastName" Path="users.#.last_name" />
            <Output Name="Email" Path="users.#.email" />
          </Outputs>
        </Request>
      </Requests>
    </Scenario>
    <Scenario Id="SyncContactAuto" Type="REST">
      <Parameters>
        <Parameter Name="ContactUrlType" Value="specify_url_format" />
        <Parameter Name="URLFormat" Value="{escape(url_format)}" />
        <Parameter Name="ContactsIdEnable" Value="1" />
        <Parameter Name="FirstNameEnable" Value="1" />
        <Parameter Name="LastNameEnable" Value="1" />
        <Parameter Name="EmailEnable" Value="1" />
        <Parameter Name="CompanyEnable" Value="1" />
        <Parameter Name="BusinessNumberEnable" Value="1" />
        <Parameter Name="MobileNumberEnable" Value="1" />
      </Parameters>
      <Requests>{search}
      </Requests>
    </Scenario>
    <Scenario Id="CreateNewContact" Type="REST">
      <Requests>
        <Request Name="Contacts" Method="POST" ResponseType="application/json" URLFormat="{{{{.crm_url}}}}/crm/v2/Contacts{q.replace('&amp;', '?', 1)}">
          <Parameters>
            <Parameter Name="Data" Type="Body" Value="{{&quot;data&quot;:[{{&quot;First_Name&quot;:&quot;{{{{.FirstName}}}}&quot;,&quot;Last_Name&quot;:&quot;{{{{.LastName}}}}&quot;,&quot;Phone&quot;:&quot;{{{{.BusinessNumber}}}}&quot;}}]}}" />
          </Parameters>
          <Outputs>
            <Output Name="ContactsId" Path="data.0.details.id" />
          </Outputs>
        </Request>
      </Requests>
    </Scenario>
    <Scenario Id="CallJournal" Type="REST">
      <Parameters>
        <Parameter Name="EnableSubject" Value="1" />
        <Parameter Name="Subject" Value="Extension Call" />
        <Parameter Name="EnableDescription" Value="1" />
        <Parameter Name="Description" Value="{{{{.Time}}}} {{{{.Communication_Type}}}} {{{{.Call_Status}}}} - from {{{{.Call_From}}}} to {{{{.Call_To}}}} {{{{.Talk_Duration}}}}" />
        <Parameter Name="EnablePlayCallRecording" Value="1" />
        <Parameter Name="PlayCallRecording" Value="0" />
      </Parameters>
      <Requests>
        <Request Name="CallJournal" Method="POST" ResponseType="application/json" URLFormat="{{{{.crm_url}}}}/crm/v2/Calls{q.replace('&amp;', '?', 1)}">
          <Parameters>
            <Parameter Name="Data" Type="Body" Value="{{&quot;data&quot;:[{{&quot;Subject&quot;:&quot;{{{{.Subject}}}}&quot;,&quot;Description&quot;:&quot;{{{{.Description}}}}&quot;,&quot;Call_Type&quot;:&quot;{{{{.Communication_Type}}}}&quot;,&quot;Call_Duration_in_seconds&quot;:{{{{.Talk_Duration_Sec}}}},&quot;Who_Id&quot;:&quot;{{{{.ContactId}}}}&quot;,&quot;Caller&quot;:&quot;{{{{.CallerName}}}}&quot;{escape(journal_extra)}}}]}}" />
          </Parameters>
          <Outputs>
            <Output Name="JournalId" Path="data.0.details.id" />
          </Outputs>
        </Request>
      </Requests>
    </Scenario>{common}{globals_}
  </Scenarios>
</Information>
"""


def settings_for(auth: str, crm_url: str) -> dict[str, str]:
    from tests.integrations.crm_server import API_KEY, CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME

    return {
        "none": {"api_key": API_KEY},
        "basic": {"username": USERNAME, "password": PASSWORD},
        "bearertoken": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
        "oauth2": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    }[auth] | {"crm_url": crm_url}


def loaded(xml: str):
    """The template, validated as the portal would."""
    return load_template(xml)
