"""Staff-corrected concerns as training examples, so each campaign improves the next theme model.

Writes one `<theme>.yml` per primary theme in the format of `nlu_data/themes/` (see its README). The texts were
scrubbed of personal data when they were stored. A person reviews the files before moving examples into
`nlu_data/themes/`.
"""

from collections import defaultdict
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import Concern, ConcernTheme


def export_staff_corrections(*, session: Session, out_dir: Path) -> dict[str, int]:
    corrected = select(ConcernTheme.concern_id).where(ConcernTheme.source == "staff")
    by_theme: dict[str, list[dict[str, object]]] = defaultdict(list)
    for concern in session.scalars(select(Concern).where(Concern.id.in_(corrected)).order_by(Concern.created_at)):
        codes = [assignment.theme_code for assignment in concern.theme_assignments if assignment.source == "staff"]
        by_theme[codes[0]].append({"text": concern.description, "themes": codes})
    out_dir.mkdir(parents=True, exist_ok=True)
    for code, examples in by_theme.items():
        document = {"theme": code, "examples": examples}
        (out_dir / f"{code}.yml").write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8"
        )
    return {code: len(examples) for code, examples in by_theme.items()}
