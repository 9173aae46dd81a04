"""The installed version, read without importing anything heavy."""

from __future__ import annotations


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("channelplan")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"
