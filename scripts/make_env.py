"""Write `.env` from `.env.example`, filling every empty secret with a fresh random value.

An existing `.env` is left alone except that missing secrets are added, so re-running is safe.
"""

import secrets
import sys
from pathlib import Path

SECRETS = ("SECRET_KEY", "SERVICE_TOKEN", "CONVERSATION_HASH_SALT", "ACTION_SERVER_TOKEN", "CHANNEL_SENDER_KEY")


def main(example: Path, target: Path) -> None:
    lines = target.read_text().splitlines() if target.exists() else example.read_text().splitlines()
    present = {line.split("=", 1)[0] for line in lines if "=" in line and not line.startswith("#")}
    out = []
    for line in lines:
        key, sep, value = line.partition("=")
        if sep and key in SECRETS and not value.strip():
            line = f"{key}={secrets.token_urlsafe(48)}"
        out.append(line)
    out += [f"{key}={secrets.token_urlsafe(48)}" for key in SECRETS if key not in present]
    target.write_text("\n".join(out) + "\n")
    target.chmod(0o600)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
