"""The template library's rules, called directly (views and the editor rely on them)."""


import pytest

from integrations.models import Integration
from templates_app import library
from templates_app.models import CrmTemplate, TemplateVersion
from templates_app.xmlmodel import TemplateXMLError

pytestmark = pytest.mark.django_db


def test_save_template_copies_the_information_attributes(template_xml):
    template = library.save_template(template_xml("acme", "Acme CRM", "2.1.0", remark="Our CRM"))
    assert (template.name, template.key, template.version, template.remark) == (
        "Acme CRM",
        "acme",
        "2.1.0",
        "Our CRM",
    )
    assert (template.provider, template.auth_type) == ("helpdesk", "oauth2")


def test_save_template_stores_the_text_as_given(template_xml):
    text = template_xml("acme")
    assert library.save_template(text).xml == text


def test_save_template_accepts_bytes(template_xml):
    assert library.save_template(template_xml("acme").encode()).key == "acme"


def test_invalid_xml_raises_with_line_numbers_and_saves_nothing(malformed_template_path):
    with pytest.raises(TemplateXMLError) as raised:
        library.save_template(malformed_template_path.read_bytes())
    assert any(problem.line == 10 for problem in raised.value.problems)
    assert CrmTemplate.objects.count() == 0


def test_the_eleventh_template_is_refused(template_xml):
    for n in range(library.MAX_TEMPLATES):
        library.save_template(template_xml(f"crm{n}"))
    with pytest.raises(library.TemplateLimitReached):
        library.save_template(template_xml("crm10"))
    assert CrmTemplate.objects.count() == library.MAX_TEMPLATES


def test_updating_the_tenth_template_is_allowed(template_xml):
    templates = [library.save_template(template_xml(f"crm{n}")) for n in range(library.MAX_TEMPLATES)]
    updated = library.save_template(template_xml("crm0", version="1.0.1"), instance=templates[0])
    assert updated.version == "1.0.1"


def test_a_second_template_with_the_same_key_is_refused_at_the_key_attribute(template_xml):
    library.save_template(template_xml("acme"))
    with pytest.raises(TemplateXMLError) as raised:
        library.save_template(template_xml("acme", "Another name"))
    problem = raised.value.problems[0]
    assert (problem.line, problem.attribute) == (2, "Key")


def test_an_update_keeps_the_previous_xml_as_a_version(template_xml):
    first = template_xml("acme", version="1.0.0")
    template = library.save_template(first)
    library.save_template(template_xml("acme", version="1.0.1"), instance=template)
    assert [v.xml for v in template.versions.all()] == [first]


def test_saving_identical_xml_records_no_version(template_xml):
    template = library.save_template(template_xml("acme"))
    library.save_template(template_xml("acme"), instance=template)
    assert template.versions.count() == 0


def test_restore_version_brings_back_the_old_xml_and_keeps_the_current_one(template_xml):
    old, new = template_xml("acme", version="1.0.0"), template_xml("acme", version="2.0.0")
    template = library.save_template(old)
    library.save_template(new, instance=template)
    restored = library.restore_version(template.versions.get())
    assert (restored.xml, restored.version) == (old, "1.0.0")
    assert TemplateVersion.objects.filter(template=template, xml=new).exists()


def test_delete_templates_deletes_the_given_ones(template_xml):
    a, b, c = (library.save_template(template_xml(k)) for k in ("a", "b", "c"))
    assert library.delete_templates([a.pk, b.pk]) == 2
    assert list(CrmTemplate.objects.all()) == [c]


def test_delete_templates_refuses_all_when_one_is_in_use(template_xml):
    a, b = (library.save_template(template_xml(k)) for k in ("a", "b"))
    Integration.objects.create(template=b, applied_xml=b.xml)
    with pytest.raises(library.TemplateInUse):
        library.delete_templates([a.pk, b.pk])
    assert CrmTemplate.objects.count() == 2


def test_a_png_logo_is_stored_with_its_content_type(template_xml, png_logo):
    template = library.save_template(template_xml("acme"), logo=png_logo, logo_content_type="image/png")
    assert (bytes(template.logo)[:4], template.logo_content_type) == (b"\x89PNG", "image/png")


def test_an_invalid_logo_saves_no_template(template_xml):
    with pytest.raises(ValueError):
        library.save_template(template_xml("acme"), logo=b"not an image", logo_content_type="image/png")
    assert CrmTemplate.objects.count() == 0
