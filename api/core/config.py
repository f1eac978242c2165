"""Settings for the API process.

Precedence: real environment variables, then `.env` in the working directory, then the defaults below.
Every variable is listed in the README ("Configuration") and in `.env.example`. Secrets have no defaults:
`make run` writes a `.env` with freshly generated ones, and production refuses weak values.
"""

import re
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MIN_SECRET_LENGTH = 32
ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")
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
    # Several Rasa instances sharing one tracker and lock store: comma-separated base URLs
    # ("http://10.0.0.5:5005,http://10.0.0.6:5005"); the chat gateway sends each turn to the next one in turn.
    # Empty: the one instance at RASA_HOST:RASA_PORT.
    rasa_urls: str = ""

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
    # Headless Chromium that prints the lägesbild report as PDF (Debian's package; `make browser` installs it).
    chromium_path: str = "/usr/bin/chromium"
    chat_max_chars: int = 1000
    # Flood limits on the chat gateway (limits' notation, ";" between windows) and the largest request body.
    # REDIS_URL shares the counters between API workers; empty keeps them in this process.
    chat_rate_limit_per_session: str = "30/minute;300/hour"
    chat_rate_limit_per_ip: str = "120/minute;2000/hour"
    redis_url: str = ""
    max_body_bytes: int = Field(default=2_097_152, ge=1024)
    chat_max_body_bytes: int = Field(default=32_768, ge=1024)
    # The API deletes concerns older than RETENTION_MONTHS once every this many hours (0: only `trygg purge`).
    purge_interval_hours: float = Field(default=24.0, ge=0)
    description_max_chars: int = 4000
    areas_file: str = "api/seed_data/exempelstad_areas.json"
    theme_model_dir: str = "models/themes"

    # Sites that embed the chat widget: origins allowed to call the chat API from the browser (CORS) and to frame
    # this service's pages (CSP frame-ancestors). Comma-separated, e.g. "https://www.exempelstad.se".
    cors_origins: Annotated[list[str], NoDecode] = []
    frame_ancestors: Annotated[list[str], NoDecode] = []

    # The privacy notice (/integritet) is written from these: who is responsible for the residents' data and how
    # to reach them and their data protection officer.
    controller_name: str = "Exempelstad kommun"
    controller_email: str = "kontaktcenter@exempelstad.se"
    controller_phone: str = "0123-45 60 00"
    controller_url: str = "https://www.exempelstad.se"
    dpo_email: str = "dataskyddsombud@exempelstad.se"
    dpo_phone: str = "0123-45 60 00"
    # How long stored concerns are kept: `trygg purge` removes older ones and the privacy notice states it.
    retention_months: int = Field(default=24, ge=1)

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry the Secure flag in production (served over HTTPS); tests and development use plain HTTP."""
        return self.environment == "production"

    @property
    def rasa_webhook_url(self) -> str:
        return self.rasa_webhook_urls[0]

    @property
    def rasa_webhook_urls(self) -> list[str]:
        """The REST channel of every Rasa instance (RASA_URLS, else RASA_HOST:RASA_PORT)."""
        bases = [url.strip().rstrip("/") for url in self.rasa_urls.split(",") if url.strip()]
        return [f"{base}/webhooks/rest/webhook" for base in bases or [f"http://{self.rasa_host}:{self.rasa_port}"]]

    @field_validator("cors_origins", "frame_ancestors", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Origins come as one comma-separated environment variable; a trailing slash is not part of an origin."""
        if isinstance(value, str):
            value = [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        if isinstance(value, list):
            # A wildcard or a path would silently open (or break) the allow-list: refuse it at start-up.
            for origin in value:
                if not ORIGIN.fullmatch(str(origin)):
                    raise ValueError(f"{origin!r} is not an origin such as https://www.exempelstad.se")
        return value

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
