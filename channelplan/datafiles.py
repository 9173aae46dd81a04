"""The data files shipped in ``channelplan/data``, and the one YAML loader that reads them
(PyYAML's C loader where it is built, else the pure-Python one; both safe)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_data(name: str) -> Any:
    """One of the package's data files, parsed, e.g. ``load_data("rules.yaml")``."""
    text = (Path(__file__).parent / "data" / name).read_text("utf-8")
    return yaml.load(text, Loader=SAFE_LOADER)
