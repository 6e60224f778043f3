"""Basic: ``Base64EncodedCredential`` rendered, encoded, sent as ``Authorization: Basic …``.

The guide's CredentialType is ``username_password`` (``{{.username}}:{{.password}}``)
or ``api_key`` (``{{.api_key}}``); either way the rendered text is what is encoded.
"""

from __future__ import annotations

import base64

from .base import AuthMethod, AuthStatus


class BasicAuth(AuthMethod):
    name = "basic"

    def credential(self) -> str:
        return self.render(self.scenario.base64_encoded_credential)

    def authorize(self, headers: dict[str, str]) -> None:
        encoded = base64.b64encode(self.credential().encode("utf-8")).decode("ascii")
        headers["Authorization"] = f"Basic {encoded}"

    def status(self) -> AuthStatus:
        if not self.credential().strip(":"):
            return AuthStatus("disconnected", "the credentials are not filled in")
        return super().status()

    def secrets(self) -> list[str]:
        plain = self.credential()
        return [plain, base64.b64encode(plain.encode()).decode(), *super().secrets()]
