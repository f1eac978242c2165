"""Passwords (argon2 via pwdlib), staff access tokens (JWT), chat session ids and conversation hashes."""

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash

from api.core.config import Settings

JWT_ALGORITHM = "HS256"
_password_hash = PasswordHash.recommended()
# Verified against when the username is unknown, so a wrong username costs as much time as a wrong password.
_DUMMY_HASH = _password_hash.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _password_hash.verify(password, _DUMMY_HASH)
        return False
    return _password_hash.verify(password, password_hash)


def create_access_token(settings: Settings, *, subject: str, role: str) -> str:
    expires = datetime.now(UTC) + timedelta(minutes=settings.access_token_minutes)
    payload = {"sub": subject, "role": role, "exp": expires, "typ": "staff"}
    return jwt.encode(payload, settings.secret_key.get_secret_value(), algorithm=JWT_ALGORITHM)


def decode_access_token(settings: Settings, token: str) -> dict[str, object] | None:
    """The token's claims, or None when it is invalid, expired or not a staff token."""
    try:
        claims: dict[str, object] = jwt.decode(
            token, settings.secret_key.get_secret_value(), algorithms=[JWT_ALGORITHM]
        )
    except jwt.PyJWTError:
        return None
    return claims if claims.get("typ") == "staff" else None


def _sign(settings: Settings, value: str) -> str:
    digest = hmac.new(
        settings.secret_key.get_secret_value().encode(), b"chat-session:" + value.encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def new_chat_session_id(settings: Settings) -> str:
    """An unguessable id for a new chat conversation, signed so the gateway only accepts ids it issued."""
    token = secrets.token_urlsafe(18)
    return f"{token}.{_sign(settings, token)}"


def is_valid_chat_session_id(settings: Settings, session_id: str) -> bool:
    token, _, signature = session_id.partition(".")
    if not token or not signature:
        return False
    return hmac.compare_digest(signature, _sign(settings, token))


def conversation_hash(settings: Settings, conversation_id: str) -> str:
    """Salted hash of a conversation or sender id: links concerns of one conversation, never stores the id."""
    return hmac.new(
        settings.conversation_hash_salt.get_secret_value().encode(), conversation_id.encode(), hashlib.sha256
    ).hexdigest()


def service_token_matches(settings: Settings, token: str) -> bool:
    return hmac.compare_digest(token.encode(), settings.service_token.get_secret_value().encode())
