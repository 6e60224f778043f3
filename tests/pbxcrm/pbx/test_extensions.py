"""Extensions: the pages, and the CSV import the page and the command share."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from pbxcrm.pbx.extensions import import_csv
from pbxcrm.pbx.models import Extension

pytestmark = pytest.mark.django_db

HEADER = "Number,First Name,Last Name,Email\n"


def csv_of(count: int, start: int = 1000) -> str:
    return HEADER + "".join(f"{start + n},First{n},Last{n},user{n}@example.com\n" for n in range(count))


def test_a_thousand_extensions_import_in_one_upload(client_logged_in):
    upload = SimpleUploadedFile("ext.csv", csv_of(1000).encode(), "text/csv")
    response = client_logged_in.post(reverse("pbx:extension_import"), {"file": upload}, follow=True)
    assert "Imported 1000 new and updated 0 extensions." in response.content.decode()
    assert Extension.objects.count() == 1000 and Extension.objects.get(number="1999").email == "user999@example.com"


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(client_logged_in):
    text = HEADER + "1001,Ann,Lee,ann@example.com\n12a,Bad,Number,\n1002,Bob,Roe,not-an-email\n1001,Dup,Row,\n"
    response = client_logged_in.post(reverse("pbx:extension_import"),
                                     {"file": SimpleUploadedFile("e.csv", text.encode(), "text/csv")})
    content = response.content.decode()
    assert response.status_code == 400 and Extension.objects.count() == 0
    assert "Line 3</span>: number &#x27;12a&#x27;" in content and "Line 4</span>: email" in content
    assert "Line 5</span>: extension 1001 is also on line 2" in content


def test_a_row_for_an_existing_number_updates_it():
    Extension.objects.create(number="1001", first_name="Old")
    report = import_csv(HEADER + "1001,New,Name,n@example.com\n")
    assert (report.created, report.updated) == (0, 1) and Extension.objects.get().first_name == "New"


def test_semicolons_and_other_header_names_are_read():
    report = import_csv("Extension;Email Address\n2001;a@example.com\n")
    assert report.ok and Extension.objects.get().email == "a@example.com"


def test_a_file_without_a_number_column_says_so():
    assert "no extension number column" in import_csv("Name,Email\nA,a@x.com\n").problems[0][1]


def test_the_command_imports_like_the_page(tmp_path):
    path = tmp_path / "ext.csv"
    path.write_text(csv_of(3))
    out = io.StringIO()
    call_command("import_extensions", str(path), stdout=out)
    assert out.getvalue().strip() == "Imported 3 new and updated 0 extensions."


def test_the_command_lists_bad_rows_with_file_and_line(tmp_path):
    path = tmp_path / "ext.csv"
    path.write_text(HEADER + "x,A,B,\n")
    with pytest.raises(CommandError, match=r"ext.csv:2: number 'x'"):
        call_command("import_extensions", str(path))


def test_adding_editing_and_deleting_an_extension(client_logged_in):
    client_logged_in.post(reverse("pbx:extension_add"), {
        "number": "1005", "first_name": "Eve", "last_name": "Day", "email": "eve@example.com",
        "open_contact_url": "on", "popup_method": "automatic", "popup_trigger": "answered",
    })
    extension = Extension.objects.get()
    assert extension.open_contact_url and extension.popup_trigger == "answered"
    client_logged_in.post(reverse("pbx:extension_edit", args=[extension.pk]), {
        "number": "1005", "first_name": "Eve", "last_name": "Night", "email": "", "popup_method": "manual",
        "popup_trigger": "ringing",
    })
    extension.refresh_from_db()
    assert (extension.last_name, extension.popup_method, extension.open_contact_url) == ("Night", "manual", False)
    client_logged_in.post(reverse("pbx:extension_delete", args=[extension.pk]))
    assert not Extension.objects.exists()


def test_a_bad_number_is_refused_on_the_form(client_logged_in):
    response = client_logged_in.post(reverse("pbx:extension_add"), {"number": "12-3", "popup_method": "manual",
                                                                     "popup_trigger": "ringing"})
    assert response.status_code == 400 and "1 to 10 digits" in response.content.decode()
