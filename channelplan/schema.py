"""The JSON Schema of the profile format, generated from the model."""

from __future__ import annotations

import json
from typing import Any

from channelplan.model import Profile

SCHEMA_ID = "https://channelplan.invalid/schema/profile.schema.json"


def profile_schema() -> dict[str, Any]:
    """The profile format's JSON Schema (draft 2020-12), with descriptions for editors."""
    schema = Profile.model_json_schema(by_alias=True, mode="validation")
    schema["$id"] = SCHEMA_ID
    schema.setdefault("description", "A channelplan company profile (format version 1).")
    return schema


def profile_schema_text() -> str:
    return json.dumps(profile_schema(), indent=2, ensure_ascii=True) + "\n"
