"""Which installed packages carry a text from one language to another: directly, else through English."""

from __future__ import annotations

from collections.abc import Callable

from service.errors import InputError, ModelNotFoundError
from service.languages import PIVOT_LANGUAGE, SUPPORTED_LANGUAGES
from service.models.package import InstalledPackage

PIVOT = PIVOT_LANGUAGE
LANGUAGES = SUPPORTED_LANGUAGES
# Every direction between the supported languages; ko<->ru goes through the pivot.
DIRECTIONS = tuple((a, b) for a in LANGUAGES for b in LANGUAGES if a != b)
# The pairs that make all six directions routable.
PIVOT_PAIRS = tuple((a, b) for a, b in DIRECTIONS if PIVOT in (a, b))


def install_command(from_code: str, to_code: str) -> str:
    return f"glossa models install {from_code} {to_code}"


def find_route(
    source: str, target: str, get: Callable[[str, str], InstalledPackage | None]
) -> list[InstalledPackage]:
    """[direct] or [source->en, en->target]; ModelNotFoundError names what to install."""
    if source == target:
        raise InputError(f"source and target are both {source!r}: nothing to translate")
    direct = get(source, target)
    if direct is not None:
        return [direct]
    if PIVOT in (source, target):
        missing = [(source, target)]
    else:
        first, second = get(source, PIVOT), get(PIVOT, target)
        if first is not None and second is not None:
            return [first, second]
        hops = (((source, PIVOT), first), ((PIVOT, target), second))
        missing = [pair for pair, package in hops if package is None]
    pairs = ", ".join(f"{a}->{b}" for a, b in missing)
    commands = " and ".join(f"`{install_command(a, b)}`" for a, b in missing)
    via = "" if PIVOT in (source, target) else f" (directly or through {PIVOT})"
    raise ModelNotFoundError(
        f"no installed model translates {source}->{target}{via}: missing {pairs}; "
        f"install with {commands}"
    )
