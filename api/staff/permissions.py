"""Named permissions with Swedish labels, and which role holds which (one registry for the API and the pages).

viewer reads; analyst also reviews concerns and writes promises; admin also manages users, themes and areas.
"""

from typing import Literal

Permission = Literal["read", "review", "promises", "admin"]

PERMISSIONS: dict[Permission, str] = {
    "read": "Läsa ärenden, lägesbild och medborgarlöften",
    "review": "Granska ärenden: teman, status, anteckningar",
    "promises": "Skriva, publicera och följa upp medborgarlöften",
    "admin": "Hantera användare, teman och områden",
}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "viewer": frozenset({"read"}),
    "analyst": frozenset({"read", "review", "promises"}),
    "admin": frozenset({"read", "review", "promises", "admin"}),
}

ROLE_LABELS = {"viewer": "Läsare", "analyst": "Analytiker", "admin": "Administratör"}


def has_permission(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
