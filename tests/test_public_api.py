"""The library API and the house rules of the architecture, checked (as httpx checks its __all__).

* ``service.__all__`` names exactly the public API, and every name in it resolves.
* The core never imports a face (cli, api, batch, web) or the pipeline; the pipeline imports no
  face. So no import cycle can come back through them.
* Every exception class is defined in ``service.errors``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import service
from service.errors import GlossaError

PACKAGE = Path(service.__file__).resolve().parent
FACES = ("service.cli", "service.api", "service.batch", "service.web")


def test_public_api_is_exactly_all() -> None:
    expected = {
        "FORMATS", "LANGUAGES", "PIVOT_LANGUAGE", "SUPPORTED_LANGUAGES", "GlossaError", "GlossaryError",
        "InputError", "InputTooLargeError", "ModelNotFoundError", "PackageError", "Pipeline",
        "SentenceAlignment", "Settings", "TermReport", "TranslationRequest", "TranslationResult",
        "UnsupportedLanguageError", "__version__",
    }
    assert set(service.__all__) == expected
    assert len(service.__all__) == len(expected)
    for name in service.__all__:
        assert getattr(service, name) is not None
    public = {name for name in vars(service) if not name.startswith("_")}
    # Submodules become attributes when imported; everything else public is in __all__.
    stray = {name for name in public - set(service.__all__) if not inspect.ismodule(getattr(service, name))}
    assert stray == set()


def test_library_use_in_a_few_lines(demo_settings) -> None:
    pipeline = service.Pipeline(demo_settings)
    result = pipeline.translate("Kim Jong-un visited Moscow.", target="ru", glossary=False)
    assert isinstance(result, service.TranslationResult)
    assert result.translation == "Ким Чен Ын посетил Москву." and result.source == "en"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("service")}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_core_imports_no_face_and_not_the_pipeline() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        if module in ("service", "service.__main__") or module.startswith(FACES):
            continue  # the API re-exports and the command entry; faces may import anything below
        forbidden = FACES if module == "service.pipeline" else (*FACES, "service.pipeline")
        bad = sorted(name for name in _imports(path) if name.startswith(forbidden))
        if bad:
            offenders.append(f"{module}: {', '.join(bad)}")
    assert offenders == []


def test_every_exception_is_defined_in_service_errors() -> None:
    strays = []
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="service."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, GlossaError) and obj.__module__ != "service.errors":
                strays.append(f"{info.name}.{name}")
    assert strays == []


def test_every_error_has_an_http_status_and_bad_input_is_never_a_500() -> None:
    import service.errors as errors
    from service.api.errors import http_status

    for name in errors.__all__:
        cls = getattr(errors, name)
        if cls is GlossaError:
            continue
        status = http_status(cls("x") if name != "QueueFullError" else cls("x", retry_after=1))
        assert 400 <= status < 500 or status in (503, 504), (name, status)
    assert http_status(errors.InputError("x")) == 400 and http_status(errors.InputTooLargeError("x")) == 413
    assert http_status(errors.ConceptNotFoundError("x")) == 404 and http_status(GlossaError("bug")) == 500
