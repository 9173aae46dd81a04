"""Random mutations of the example profiles never raise anything but ProfileError."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from channelplan import Profile, ProfileError, parse_profile
from conftest import PROFILE_TEXTS, profile_data

EXAMPLES = profile_data()
TEXTS = PROFILE_TEXTS

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["40%", "140%", "-5%", "30s", "6h", "2027-02-30", "2027-01-04", "no",
                     "high", "seconds", "financial", "", "1e308", "NaN"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6)


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, prefix + (index,))


def _mutate(data, path, action, value):
    data = copy.deepcopy(data)
    if not path:
        return value
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    if action == "delete":
        del parent[key]
    elif action == "rename" and isinstance(parent, dict):
        parent[str(value)[:12] + "_x"] = parent.pop(key)
    else:
        parent[key] = value
    return data


@settings(max_examples=300)
@given(st.data())
def test_mutated_profiles_load_or_fail_cleanly(data):
    base = data.draw(st.sampled_from(EXAMPLES))
    paths = list(_paths(base))
    path = data.draw(st.sampled_from(paths))
    action = data.draw(st.sampled_from(["set", "delete", "rename"]))
    value = data.draw(values)
    mutated = _mutate(base, path, action, value)
    try:
        profile = parse_profile(mutated, source="<mutated>")
    except ProfileError as exc:
        assert exc.problems, "a ProfileError always carries at least one problem"
        for problem in exc.problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message
    else:
        assert isinstance(profile, Profile)


@settings(max_examples=300)
@given(st.data())
def test_mutated_profile_text_loads_or_fails_cleanly(data):
    text = data.draw(st.sampled_from(TEXTS))
    position = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 20))
    insert = data.draw(st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`,? \n\tab1\x00\x1b")),
                               max_size=12))
    mutated = text[:position] + insert + text[position + cut:]
    try:
        parse_profile(mutated, source="m.yaml")
    except ProfileError as exc:
        lines = mutated.count("\n") + 2
        for problem in exc.problems:
            assert 1 <= problem.line <= lines, problem
