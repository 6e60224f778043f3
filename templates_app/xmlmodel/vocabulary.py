"""The names the guide's XML reference defines, in one place for parser, views and checks."""

ROOT_TAG = "Information"

PROVIDERS = ("crm", "helpdesk")
AUTH_TYPES = ("none", "basic", "oauth2", "bearertoken")
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CREDENTIAL_TYPES = ("username_password", "api_key")
EDITORS = ("string", "password", "list")
CONTACT_URL_TYPES = ("specify_url_format", "retrieve_from_contact")

# Scenario Ids the guide describes (SearchContact is not in the guide's reference but
# every real-world export has it, shaped like SyncContactAuto).
AUTH_METHOD = "AuthMethod"
USER_ASSOCIATION = "UserAssociation"
SYNC_CONTACT_AUTO = "SyncContactAuto"
SEARCH_CONTACT = "SearchContact"
CREATE_NEW_CONTACT = "CreateNewContact"
CREATE_NEW_TICKET = "CreateNewTicket"
CALL_JOURNAL = "CallJournal"
COMMON = "Common"
GET_GLOBAL_INFO = "GetGlobalInfo"

SCENARIO_TYPES = ("AUTH", "REST")

# Information attribute -> the scenario that must exist when it is "1".
FEATURE_SCENARIOS = {
    "UserAssociation": USER_ASSOCIATION,
    "CallJournal": CALL_JOURNAL,
    "CreateNewContact": CREATE_NEW_CONTACT,
    "CreateNewTicket": CREATE_NEW_TICKET,
}

# Parameter "Father" values of the AuthMethod scenario.
CUSTOM_FIELD_LIST = "CustomFieldList"
POPULATE_TEMPLATE_STRING = "PopulateTemplateString"
TOKEN_ERROR_MAP = "TokenErrorMap"
AUTH_OPTION = "AuthOption"

AUTH_PARAMETERS = (
    "AuthMethod", "AuthEndPoint", "TokenEndPoint", "AdditionalQueryString", "Scope",
    "CredentialType", "Base64EncodedCredential", "TokenRefreshInterval", "TokenType",
)

# The contact fields of SyncContactAuto, in the guide's order; each has a "<Field>Enable"
# parameter and may be an Output name of a contact request.
CONTACT_FIELDS = (
    "ContactsId", "FirstName", "LastName", "Company", "Email",
    "BusinessNumber", "BusinessNumber2", "BusinessFaxNumber", "MobileNumber", "MobileNumber2",
    "HomeNumber", "HomeNumber2", "HomeFaxNumber", "OtherNumber",
    "ZipCode", "Street", "City", "State", "Country", "Remark", "CustomValue",
)
PHONE_FIELDS = (
    "BusinessNumber", "BusinessNumber2", "BusinessFaxNumber", "MobileNumber", "MobileNumber2",
    "HomeNumber", "HomeNumber2", "HomeFaxNumber", "OtherNumber",
)
REQUIRED_CONTACT_FIELDS = ("ContactsId", "FirstName")

# Journal-like scenarios (CreateNewTicket, CallJournal): their 0/1 settings.
JOURNAL_FLAGS = ("EnableSubject", "EnableDescription", "EnablePlayCallRecording", "PlayCallRecording")

BODY_TYPE = "Body"
BODY_NAME = "Data"
HEADER_TYPE = "Header"
