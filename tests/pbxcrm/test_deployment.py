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


def procfile() -> dict[str, str]:
    """Each process of the Procfile with its command."""
    lines = (REPO / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


def test_compose_has_web_worker_beat_redis_and_postgres():
    assert set(compose_services()) == {"web", "worker", "beat", "redis", "postgres"}


def test_the_procfile_runs_web_worker_and_beat_each_as_its_own_process():
    processes = procfile()
    assert list(processes) == ["web", "worker", "beat"]
    assert "celery -A pbxcrm worker" in processes["worker"] and "-B" not in processes["worker"].split()
    assert all(command.startswith("exec ") for command in processes.values())


def test_the_readme_lists_the_procfiles_processes_as_they_are():
    listed = readme_commands()
    assert [f"{name}: {command}" for name, command in procfile().items()] == listed[3:]


def test_each_compose_service_runs_its_procfile_process():
    services = compose_services()
    for name in procfile():
        assert f"honcho start -f Procfile {name}" in command_of(services[name]) or (
            name == "web" and "honcho start -f Procfile -p 8000 web" in command_of(services[name])
        )


def test_the_web_service_migrates_and_creates_the_admin_first():
    web = command_of(compose_services()["web"])
    for documented in readme_commands()[:2]:
        assert documented in web


def test_compose_sets_the_settings_the_portal_reads():
    settings = (REPO / "pbxcrm" / "settings.py").read_text()
    app = (REPO / "docker-compose.yml").read_text().split("environment: &env", 1)[1].split("depends_on", 1)[0]
    names = re.findall(r"^\s+([A-Z_]+):", app, flags=re.M)
    assert {"DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "TIME_ZONE"} <= set(names)
    assert all(f'"{name}"' in settings for name in names if name not in ("PBXCRM_ADMIN_PASSWORD", "PATH"))


def test_bin_run_migrates_creates_the_admin_and_hands_over_to_honcho():
    script = (REPO / "bin" / "run").read_text()
    assert "manage.py create_first_admin" in script and "manage.py migrate" in script
    assert re.search(r"^exec honcho start -f Procfile", script, flags=re.M)
