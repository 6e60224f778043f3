"""docker-compose.yml and bin/run run the processes the README documents."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def readme_commands() -> list[str]:
    """The process commands listed in the README's "Configuration" section.

    They are a list, not a code block: the README's only code blocks are its two
    set-up commands, under Run and Test.
    """
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^- `([^`]+)`$", section, flags=re.M)


def compose_services() -> dict[str, str]:
    """Each service of docker-compose.yml with its text (PyYAML is not a dependency)."""
    text = (REPO / "docker-compose.yml").read_text()
    body = text.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    parts = re.split(r"^  ([a-z][\w-]*):\n", body, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def command_of(service_text: str) -> str:
    """The service's command with its folded lines joined and the venv prefix removed."""
    command = service_text.split("command:", 1)[1]
    command = re.split(r"\n    [a-z_]+:", command, maxsplit=1)[0]
    return " ".join(command.replace("/venv/bin/", "").split())


def test_compose_has_web_worker_beat_redis_and_postgres():
    assert set(compose_services()) == {"web", "worker", "beat", "redis", "postgres"}


def test_the_web_service_migrates_creates_the_admin_and_serves_as_documented():
    web = command_of(compose_services()["web"])
    for documented in readme_commands()[:3]:
        assert documented in web


def test_the_worker_and_beat_services_run_the_documented_celery_commands():
    services = compose_services()
    worker_cmd, beat_cmd = readme_commands()[3:5]
    assert worker_cmd in command_of(services["worker"])
    assert beat_cmd in command_of(services["beat"])


def test_compose_sets_the_settings_the_portal_reads():
    settings = (REPO / "pbxcrm" / "settings.py").read_text()
    app = (REPO / "docker-compose.yml").read_text().split("environment: &env", 1)[1].split("depends_on", 1)[0]
    names = re.findall(r"^\s+([A-Z_]+):", app, flags=re.M)
    assert {"DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "TIME_ZONE"} <= set(names)
    assert all(f'"{name}"' in settings for name in names if name != "PBXCRM_ADMIN_PASSWORD")


def test_bin_run_starts_the_web_server_and_a_worker_with_beat():
    script = (REPO / "bin" / "run").read_text()
    assert "manage.py runserver" in script and "--noreload" in script
    assert re.search(r"celery -A pbxcrm worker -B", script)
    assert "manage.py create_first_admin" in script and "manage.py migrate" in script
