"""CRM users, page after page, until an empty or short page."""

from __future__ import annotations

from tests.integrations.crm_server import CrmServer


def test_all_users_of_a_paged_crm_are_read(make_engine, crm: CrmServer):
    users = list(make_engine("basic").users())
    assert len(users) == 450 and users[0] == {
        "UserUniqueId": "u1", "FirstName": "User1", "LastName": "Crm", "Email": "user1@example.com",
    }
    assert [r.query["page"] for r in crm.state.received] == [["1"], ["2"], ["3"]]


def test_5000_users_sync_completely(make_engine, crm: CrmServer):
    crm.state.users = [{"id": f"u{n}", "first_name": "A", "last_name": "B", "email": f"{n}@x"} for n in range(5000)]
    ids = [u["UserUniqueId"] for u in make_engine("basic").users()]
    assert len(ids) == len(set(ids)) == 5000


def test_a_full_last_page_ends_at_the_empty_page_after_it(make_engine, crm: CrmServer):
    crm.state.users = crm.state.users[:400]
    assert len(list(make_engine("basic").users())) == 400
    assert len(crm.state.received) == 3


def test_a_template_without_page_variables_reads_once(make_engine, crm: CrmServer):
    engine = make_engine("basic", users_url="{{.crm_url}}/crm/v2/users?per_page=200")
    assert len(list(engine.users())) == 200 and len(crm.state.received) == 1
