"""Capture the portal's screenshots for the docs: `.venv/bin/python scripts/screenshots.py`.

Starts the portal on a throw-away data folder, signs in with Chromium (the Debian
/usr/bin/chromium), uploads the real-world template and a second one, and saves
PNGs into docs/screenshots/.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
# The team's shared folder sits beside the repository, as CI lays it out.
REALWORLD = REPO.parent / "shared" / "realworld-templates"
PASSWORD = "screenshots-only-password"


def logo_png(text: str, color: str) -> bytes:
    """A 150×150 logo: initials on a coloured rounded square."""
    image = Image.new("RGBA", (150, 150), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 149, 149), radius=28, fill=color)
    font = ImageFont.load_default(size=64)
    box = draw.textbbox((0, 0), text, font=font)
    draw.text(((150 - box[2] - box[0]) / 2, (150 - box[3] - box[1]) / 2), text, font=font, fill="white")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_portal(data_dir: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    env.update(PBXCRM_DATA_DIR=str(data_dir), PBXCRM_ADMIN_PASSWORD=PASSWORD, TIME_ZONE="Europe/Berlin")
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=REPO, env=env, check=True)
    subprocess.run([*manage, "create_first_admin"], cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.terminate()
                raise SystemExit("the portal did not start") from None
            time.sleep(0.2)


def upload(page: Page, name: str, xml: bytes, logo: bytes | None = None) -> None:
    page.goto("/integrations/crm/templates/upload/")
    page.set_input_files("input[name=file]", files=[{"name": name, "mimeType": "text/xml", "buffer": xml}])
    if logo:
        page.set_input_files(
            "input[name=logo]", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": logo}]
        )
    page.get_by_role("button", name="Save").click()


def shoot(page: Page, name: str, *, full_page: bool = False) -> None:
    page.wait_for_load_state("networkidle")
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"wrote {path.relative_to(REPO)}")


def capture(page: Page) -> None:
    page.goto("/accounts/login/")
    shoot(page, "sign-in")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    real = (REALWORLD / "helpdesk-oauth2-zendesk-style.xml").read_text()
    upload(page, "helpdesk.xml", real.encode(), logo_png("LH", "#e8553e"))
    second = (
        real.replace('Name="Lovable Helpdesk"', 'Name="Acme Sales CRM"')
        .replace('Key="lovable_helpdesk"', 'Key="acme_sales"')
        .replace('Remark="Lovable Helpdesk Integration"', 'Remark="Contacts and deals of the sales team"')
        .replace('Provider="helpdesk"', 'Provider="crm"')
        .replace('CreateNewTicket="1"', 'CreateNewTicket="0"')
        .replace('Version="1.0.0"', 'Version="2.3.0"')
    )
    upload(page, "acme.xml", second.encode(), logo_png("A", "#1664d9"))
    upload(
        page,
        "support.xml",
        real.replace('Key="lovable_helpdesk"', 'Key="support_desk"')
        .replace('Name="Lovable Helpdesk"', 'Name="Support Desk"')
        .encode(),
    )

    page.goto("/integrations/crm/templates/")
    page.get_by_label("Select Acme Sales CRM").check()
    shoot(page, "template-list")
    page.goto("/integrations/crm/")
    shoot(page, "crm-list")

    page.goto("/integrations/crm/templates/add/")
    shoot(page, "template-add-form")

    upload(page, "broken.xml", (REALWORLD / "helpdesk-oauth2-unescaped-MALFORMED.xml").read_bytes())
    shoot(page, "upload-error")

    page.goto("/integrations/crm/templates/")
    page.get_by_role("link", name="XML of Acme Sales CRM").click()
    area = page.locator("#id_xml")
    area.fill(area.input_value().replace('Version="2.3.0"', 'Version="2.4.0"'))
    page.get_by_role("button", name="Save").click()
    # The real-world mistake: a bare & in a URL (line 10).
    area.fill(area.input_value().replace("&amp;client_secret", "&client_secret", 1))
    page.get_by_role("button", name="Save").click()
    shoot(page, "xml-error")

    page.goto("/integrations/crm/templates/")
    page.get_by_role("link", name="Acme Sales CRM", exact=True).click()
    shoot(page, "template-page")
    page.get_by_role("link", name="Compare & restore").first.click()
    shoot(page, "version-diff")

    # The same portal on a phone (420 px): the menu folds, tables scroll in their card.
    page.set_viewport_size({"width": 420, "height": 860})
    page.goto("/integrations/crm/templates/")
    shoot(page, "phone-template-list", full_page=True)
    page.goto("/integrations/crm/templates/add/")
    shoot(page, "phone-template-add-form")
    page.goto("/integrations/crm/templates/upload/")
    shoot(page, "phone-upload")
    page.get_by_role("button", name="Menu").click()
    shoot(page, "phone-menu-open")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="pbxcrm-screenshots-") as data_dir:
        server = start_portal(Path(data_dir), port)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                context = browser.new_context(
                    base_url=f"http://127.0.0.1:{port}", viewport={"width": 1366, "height": 820}
                )
                context.set_default_timeout(15_000)
                capture(context.new_page())
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
