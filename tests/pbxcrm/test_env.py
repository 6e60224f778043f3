"""The typed environment readers behind settings.py."""

import pytest

from pbxcrm.env import envbool, envint, envlist, envsecret, envstr


def test_envbool_reads_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert envbool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert envbool("FLAG", True) is False


def test_envbool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ValueError, match="FLAG='maybe' is not a boolean"):
        envbool("FLAG", False)


def test_envint_falls_back_to_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("NUMBER", raising=False)
    assert envint("NUMBER", 7) == 7


def test_envint_refuses_a_non_number(monkeypatch):
    monkeypatch.setenv("NUMBER", "seven")
    with pytest.raises(ValueError):
        envint("NUMBER", 7)


def test_envlist_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example, ,b.example ")
    assert envlist("HOSTS", []) == ["a.example", "b.example"]


def test_envstr_treats_empty_as_unset(monkeypatch):
    monkeypatch.setenv("NAME", "")
    assert envstr("NAME", "default") == "default"


def test_envsecret_reads_the_file_named_by_name_file(monkeypatch, tmp_path):
    (tmp_path / "key").write_text("s3cret\n")
    monkeypatch.delenv("TOKEN", raising=False)
    monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "key"))
    assert envsecret("TOKEN") == "s3cret"
