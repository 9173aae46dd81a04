"""Reading profiles: YAML text or parsed data in, a validated :class:`Profile` out.

Every problem in a file is reported at once, each located at its line and column, in
one :class:`~channelplan.errors.ProfileError`.
"""

from __future__ import annotations

import os
import types
import typing
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from channelplan.errors import ArgumentError, Problem, ProfileError, cannot_read
from channelplan.limits import MAX_INPUT_BYTES
from channelplan.model import Profile
from channelplan.suggest import did_you_mean
from channelplan.yamlsafe import Document, YamlProblems, decode, parse_yaml

__all__ = ["load_profile", "parse_profile"]


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the profile"


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` (for key suggestions)."""
    model: Any = Profile
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        found = next((f for name, f in model.model_fields.items()
                      if (f.alias or name) == part), None)
        if found is None:
            return None
        model = _unwrap(found.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if args else annotation
        elif origin in (list, typing.Annotated):
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation


def _known_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _choices(ctx: dict | None) -> str:
    expected = (ctx or {}).get("expected", "")
    return expected.replace("'", "").replace(" or ", ", ")


def _message(error: Any) -> tuple[tuple, str, bool]:
    """Turn one pydantic error into (path, message, points-at-key)."""
    loc = tuple(error["loc"])
    kind = error["type"]
    where = _dotted(loc)
    value = error.get("input")
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        key = loc[-1]
        known = _known_keys(parent) if parent else []
        if parent is not None and parent.__name__ == "Channels":
            message = f"unknown channel id '{key}'"
        else:
            message = f"unknown key '{key}' in {_dotted(loc[:-1])}"
        message += did_you_mean(str(key), known, otherwise=(
            f"; expected one of: {', '.join(known)}" if known else ""))
        return loc, message, True
    if kind == "missing":
        return loc[:-1], f"missing required key '{loc[-1]}' in {_dotted(loc[:-1])}", True
    if kind == "literal_error":
        choices = _choices(error.get("ctx"))
        hint = did_you_mean(value, choices.split(", "), cutoff=0.75)
        return loc, f"{where}: expected one of {choices}, got {_kind(value)}{hint}", False
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return loc, f"{where}: expected a mapping of keys to values, got {_kind(value)}", False
    if kind == "list_type":
        return loc, f"{where}: expected a list, got {_kind(value)}", False
    if kind == "too_short":
        return loc, f"{where}: must have at least one entry", False
    if kind == "too_long":
        limit = (error.get("ctx") or {}).get("max_length", "")
        return loc, f"{where}: at most {limit} entries", False
    return loc, f"{where}: {error['msg']}", False


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return "a very large number"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _validate(data: Any, doc: Document) -> Profile:
    problems: list[Problem] = []

    def report(path: tuple, message: str, *, key: bool = False) -> None:
        problems.append(doc.problem(path, message, key=key))

    if not isinstance(data, dict):
        raise ProfileError([doc.problem((), "a profile is a YAML mapping of keys to values "
                                            f"(version, company, demand, ...), not {_kind(data)}")])
    from channelplan.checks import cross_field_problems, model_limits, soft_problems

    profile = None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            path, message, at_key = _message(error)
            report(path, message, key=at_key)
    cross_field_problems(data, lambda path, msg: report(path, f"{_dotted(path)}: {msg}"))
    if profile is not None and not problems:
        model_limits(profile, lambda path, msg: report(path, f"{_dotted(path)}: {msg}"))
    if problems or profile is None:
        raise ProfileError(problems)
    warnings: list[Problem] = []
    soft_problems(profile, lambda path, msg: warnings.append(doc.problem(path, msg, key=True)))
    profile._source = doc.source
    profile._warnings = warnings
    profile._locate = doc.locate
    return profile


def parse_profile(text_or_data: str | bytes | dict, source: str = "<profile>") -> Profile:
    """Validate a profile given as YAML text (or bytes), or as already-parsed data.

    Raises :class:`~channelplan.errors.ProfileError` with every problem found.
    """
    if not isinstance(source, str):
        raise ArgumentError("source", f"expected text naming where the profile came from, got "
                                      f"{type(source).__name__}")
    try:
        if isinstance(text_or_data, (bytes, bytearray)):
            doc = parse_yaml(decode(bytes(text_or_data), source), source)
        elif isinstance(text_or_data, str):
            text = text_or_data.removeprefix("\ufeff")
            _refuse_surrogates(text, source)
            doc = parse_yaml(text, source)
        else:
            doc = Document(data=text_or_data, source=source)
    except YamlProblems as exc:
        raise ProfileError(exc.problems) from None
    return _validate(doc.data, doc)


def _refuse_surrogates(text: str, source: str) -> None:
    """Text given as a Python string may hold lone surrogates (from ``surrogateescape``
    decoding or JSON escapes), which are not characters and cannot be written as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        column = exc.start - (text.rfind("\n", 0, exc.start) + 1) + 1
        code = ord(text[exc.start])
        raise ProfileError([Problem(source, line, column, f"the text holds a lone surrogate "
                                    f"(U+{code:04X}), which is not a character; decode the file "
                                    "as UTF-8 with errors='strict'")]) from None


def load_profile(path: str | os.PathLike[str]) -> Profile:
    """Read and validate the profile file at ``path``.

    Raises :class:`~channelplan.errors.ProfileError` with every problem found, also when the
    file cannot be read.
    """
    try:
        source = os.fspath(path)
    except TypeError:
        raise ArgumentError("path", f"expected a file path, got {_kind(path)}") from None
    if isinstance(source, bytes):
        source = os.fsdecode(source)
    if "\0" in source:
        raise ProfileError([Problem(source.replace("\0", "\\0"), 1, 1, "cannot read the file: "
                                    "the path contains a NUL byte")])
    try:
        with open(source, "rb") as handle:
            raw = handle.read(MAX_INPUT_BYTES + 1)
    except IsADirectoryError:
        raise ProfileError([Problem(source, 1, 1, "is a directory, not a profile file")]) from None
    except OSError as exc:
        raise ProfileError([cannot_read(source, exc)]) from None
    return parse_profile(raw, source=str(Path(source)))
