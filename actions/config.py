"""Settings for the action server (rasa_sdk runs on pydantic 1, so this uses pydantic's BaseSettings).

Read from the environment, then `.env`; documented in the README and `.env.example`.
"""

from functools import lru_cache

from pydantic import BaseSettings, SecretStr


class ActionSettings(BaseSettings):
    """How the action server reaches the API."""

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    service_token: SecretStr = SecretStr("")
    # Rasa sends it with every action call (bot/endpoints.yml); calls without it are refused (rasa_sdk_plugins/).
    action_server_token: SecretStr = SecretStr("")
    api_timeout_seconds: float = 10.0
    classify_timeout_seconds: float = 5.0
    api_attempts: int = 2
    # Concerns the API could not take yet wait here (one JSON file each) until the flush loop delivers them.
    outbox_dir: str = "var/outbox"
    outbox_flush_seconds: float = 15.0

    class Config:
        env_file = ".env"
        env_file_encoding = "utf-8"

    @property
    def concerns_url(self) -> str:
        return f"http://{self.api_host}:{self.api_port}/api/v1/concerns"

    @property
    def classify_url(self) -> str:
        return f"http://{self.api_host}:{self.api_port}/api/v1/classify"


@lru_cache
def get_settings() -> ActionSettings:
    return ActionSettings()
