"""Settings of the messaging channels, read from the environment, then `.env` (documented in the README).

Rasa runs on pydantic 1, so this uses pydantic's BaseSettings like actions/config.py. A channel is on only when its
credentials are set; without them its connector stays registered but answers nothing (see bot/credentials.yml).
"""

from functools import lru_cache

from pydantic import BaseSettings, SecretStr

TELEGRAM_API = "https://api.telegram.org"
TWILIO_API = "https://api.twilio.com"


class ChannelSettings(BaseSettings):
    """Credentials, public webhook addresses and limits of the messaging channels."""

    # Key of the keyed hash that turns a phone number or Telegram chat id into Rasa's conversation id.
    channel_sender_key: SecretStr = SecretStr("")
    telegram_bot_token: SecretStr = SecretStr("")
    # Telegram sends it back in X-Telegram-Bot-Api-Secret-Token on every update (setWebhook's secret_token).
    telegram_webhook_secret: SecretStr = SecretStr("")
    # Public HTTPS address of /webhooks/telegram/webhook; when set, Rasa registers it with Telegram at startup.
    telegram_webhook_url: str = ""
    telegram_api_url: str = TELEGRAM_API
    twilio_account_sid: str = ""
    twilio_auth_token: SecretStr = SecretStr("")
    # The exact public address Twilio posts to: the request signature is computed over it.
    twilio_webhook_url: str = ""
    twilio_api_url: str = TWILIO_API
    # Messages one sender may send per minute on a messaging channel; counted in the Redis that the Rasa instances
    # already share for their lock store (LOCK_STORE_URL, bot/lock_store.py) when it is set, else in this process.
    channel_rate_limit_per_minute: int = 12
    lock_store_url: str = ""

    class Config:
        env_file = ".env"
        env_file_encoding = "utf-8"

    def telegram_missing(self) -> list[str]:
        """What is missing to run Telegram (all of it means the channel is simply not configured)."""
        needed = {
            "TELEGRAM_BOT_TOKEN": self.telegram_bot_token.get_secret_value(),
            "TELEGRAM_WEBHOOK_SECRET": self.telegram_webhook_secret.get_secret_value(),
            "CHANNEL_SENDER_KEY": self.channel_sender_key.get_secret_value(),
        }
        return [name for name, value in needed.items() if not value]

    def twilio_missing(self) -> list[str]:
        needed = {
            "TWILIO_ACCOUNT_SID": self.twilio_account_sid,
            "TWILIO_AUTH_TOKEN": self.twilio_auth_token.get_secret_value(),
            "TWILIO_WEBHOOK_URL": self.twilio_webhook_url,
            "CHANNEL_SENDER_KEY": self.channel_sender_key.get_secret_value(),
        }
        return [name for name, value in needed.items() if not value]


@lru_cache
def get_settings() -> ChannelSettings:
    return ChannelSettings()
