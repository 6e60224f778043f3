"""Settings come from the environment, and every default works on a fresh clone."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHOW = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "secret_key": settings.SECRET_KEY,
    "db_engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "broker": settings.CELERY_BROKER_URL,
    "results": settings.CELERY_RESULT_BACKEND,
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "time_zone": settings.TIME_ZONE,
    "render_steps": __import__("templates_app.gotemplate").gotemplate.default_limits().max_steps,
    "db_options": settings.DATABASES["default"].get("OPTIONS", {}),
}))
"""
PROJECT_VARIABLES = (
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "ALLOWED_HOSTS",
    "TIME_ZONE",
)


def settings_with(data_dir: Path, **env: str) -> dict:
    """The settings a fresh process computes from this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in PROJECT_VARIABLES}
    clean.update(PBXCRM_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="pbxcrm.settings", **env)
    out = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=REPO, env=clean, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.splitlines()[-1])


def test_without_secret_key_one_is_generated_into_the_data_folder_with_mode_600(tmp_path):
    key = settings_with(tmp_path)["secret_key"]
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == key and len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_the_generated_secret_key_is_reused_by_later_runs(tmp_path):
    assert settings_with(tmp_path)["secret_key"] == settings_with(tmp_path)["secret_key"]


def test_secret_key_from_the_environment_wins_and_writes_no_file(tmp_path):
    assert settings_with(tmp_path, SECRET_KEY="from-env")["secret_key"] == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_the_default_database_is_sqlite_in_the_data_folder(tmp_path):
    shown = settings_with(tmp_path)
    assert (shown["db_engine"], shown["db_name"]) == (
        "django.db.backends.sqlite3",
        str(tmp_path / "db.sqlite3"),
    )


def test_database_url_selects_postgresql(tmp_path):
    shown = settings_with(tmp_path, DATABASE_URL="postgres://pbx@db.example:5432/pbxcrm")
    assert (shown["db_engine"], shown["db_name"]) == ("django.db.backends.postgresql", "pbxcrm")


def test_without_redis_url_celery_uses_an_embedded_broker_in_the_data_folder(tmp_path):
    shown = settings_with(tmp_path)
    assert shown["broker"] == f"sqla+sqlite:///{tmp_path / 'celery-broker.sqlite'}"
    assert shown["results"].startswith("db+sqlite:///")


def test_redis_url_becomes_the_celery_broker_and_result_backend(tmp_path):
    shown = settings_with(tmp_path, REDIS_URL="redis://cache:6379/2")
    assert shown["broker"] == shown["results"] == "redis://cache:6379/2"


def test_debug_is_off_unless_asked_for(tmp_path):
    assert settings_with(tmp_path)["debug"] is False
    assert settings_with(tmp_path, DEBUG="true")["debug"] is True


def test_allowed_hosts_and_time_zone_come_from_the_environment(tmp_path):
    shown = settings_with(tmp_path, ALLOWED_HOSTS="pbx.example.com, 10.0.0.5", TIME_ZONE="Europe/Berlin")
    assert (shown["hosts"], shown["time_zone"]) == (["pbx.example.com", "10.0.0.5"], "Europe/Berlin")


def test_the_render_limits_reach_the_template_engine_from_the_environment(tmp_path):
    assert settings_with(tmp_path)["render_steps"] == 200_000
    assert settings_with(tmp_path, PBXCRM_RENDER_MAX_STEPS="500")["render_steps"] == 500


def test_the_default_sqlite_database_takes_concurrent_writers(tmp_path):
    options = settings_with(tmp_path)["db_options"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_a_postgresql_url_gets_no_sqlite_options(tmp_path):
    options = settings_with(tmp_path, DATABASE_URL="postgres://u@127.0.0.1:5432/x")["db_options"]
    assert "transaction_mode" not in options and "init_command" not in options


def test_postgresql_binds_parameters_on_the_server_and_prepares_repeated_statements(tmp_path):
    options = settings_with(tmp_path, DATABASE_URL="postgres://u@127.0.0.1:5432/x")["db_options"]
    assert (options["server_side_binding"], options["prepare_threshold"]) == (True, 5)


def test_a_prepare_threshold_of_zero_leaves_postgresql_as_django_sets_it_for_poolers(tmp_path):
    options = settings_with(tmp_path, DATABASE_URL="postgres://u@127.0.0.1:5432/x",
                            DATABASE_PREPARE_THRESHOLD="0")["db_options"]
    assert "server_side_binding" not in options and "prepare_threshold" not in options


def test_the_data_folder_and_its_files_are_private_on_creation(tmp_path):
    data = tmp_path / "data"
    settings_with(data)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in data.iterdir() if p.is_file()}
    assert {"db.sqlite3", "secret_key", "celery-broker.sqlite"} <= set(modes)
    assert set(modes.values()) == {0o600}, modes


def test_loose_modes_in_the_data_folder_are_tightened_at_every_start(tmp_path):
    settings_with(tmp_path)
    (tmp_path / "db.sqlite3").chmod(0o644)
    (tmp_path / "restored-backup.sqlite3").write_bytes(b"")
    (tmp_path / "restored-backup.sqlite3").chmod(0o666)
    tmp_path.chmod(0o755)
    settings_with(tmp_path)
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "db.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "restored-backup.sqlite3").stat().st_mode) == 0o600
