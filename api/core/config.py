"""Settings for the API process.

Precedence: real environment variables, then `.env` in the working directory, then the defaults below.
Every variable is listed in the README ("Configuration") and in `.env.example`. Secrets have no defaults:
`make run` writes a `.env` with freshly generated ones, and production refuses weak values.
"""

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET_LENGTH = 32
WEAK_SECRET_MESSAGE = "{name} must be set to a random value of at least 32 characters in production"  # noqa: S105 - an error message


class Settings(BaseSettings):
    """Configuration of the API, read from the environment."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///var/trygg.db"
    api_host: str = "127.0.0.1"
    api_port: int = 8000

    # Where the Rasa server's REST channel listens (loopback only; residents never reach it directly).
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    rasa_timeout_seconds: float = 30.0

    # Secrets: signing staff tokens and chat session ids, the action server's token, the salt for
    # hashing conversation ids before they are stored.
    secret_key: SecretStr = Field(default=SecretStr(""))
    service_token: SecretStr = Field(default=SecretStr(""))
    conversation_hash_salt: SecretStr = Field(default=SecretStr(""))

    access_token_minutes: int = 60
    # Staff web sessions (signed cookie) and slowing down password guessing on both login routes.
    staff_session_minutes: int = 480
    login_max_failures_per_user: int = 5
    login_max_failures_per_ip: int = 20
    login_lockout_minutes: int = 15
    chat_max_chars: int = 1000
    description_max_chars: int = 4000
    areas_file: str = "api/seed_data/exempelstad_areas.json"
    theme_model_dir: str = "models/themes"

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry the Secure flag in production (served over HTTPS); tests and development use plain HTTP."""
        return self.environment == "production"

    @property
    def rasa_webhook_url(self) -> str:
        return f"http://{self.rasa_host}:{self.rasa_port}/webhooks/rest/webhook"

    @model_validator(mode="after")
    def _secrets_present(self) -> "Settings":
        for name in ("secret_key", "service_token", "conversation_hash_salt"):
            value: SecretStr = getattr(self, name)
            if not value.get_secret_value():
                raise ValueError(f"{name.upper()} is not set (run `make env` or see .env.example)")
            if self.environment == "production" and len(value.get_secret_value()) < MIN_SECRET_LENGTH:
                raise ValueError(WEAK_SECRET_MESSAGE.format(name=name.upper()))
        return self


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache after changing the environment)."""
    return Settings()
