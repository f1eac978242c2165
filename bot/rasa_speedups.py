"""A fix for Rasa 3.6's per-turn cost of checking the action server's answer.

Rasa validates every custom action's response with `jsonschema.validate(result, schema)`, which first checks the
schema itself against the JSON Schema meta-schema, on every call. Profiling a conversation (py-spy, `make bench`)
showed that meta-schema check taking about 60 % of Rasa's time per turn. Here the same validation runs with a
validator built, and its schema checked, once. Behaviour is unchanged: an invalid answer raises the same
`ValidationError` (jsonschema's best match) with Rasa's explanatory message.
"""

from functools import lru_cache
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_ORIGINAL = RemoteAction._validate_action_result


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = best_match(_response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the Action "
            f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    """Replace RemoteAction's validation (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
