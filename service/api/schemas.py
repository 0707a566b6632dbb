"""Request and response bodies of the HTTP API (they are also its OpenAPI schema)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from service.formats import FORMATS
from service.languages import SUPPORTED_LANGUAGES

# The formats' and languages' registries as types, so OpenAPI lists them and a bad one is a 422
# naming them (built at run time from the registries; a plain str for the type checker).
if TYPE_CHECKING:
    FormatName = str
    Lang = str
else:
    FormatName = Literal[tuple(FORMATS)]
    Lang = Literal[SUPPORTED_LANGUAGES]

LanguageCode = Field(min_length=1, max_length=16, examples=["ko"])


class _Texts(BaseModel):
    """Either ``text`` (one) or ``texts`` (a list); answers always come as a list of results."""

    text: str | None = Field(None, description="One text.", examples=["Kim Jong-un visited Moscow."])
    texts: list[str] | None = Field(None, description="Several texts, answered in order.")

    @model_validator(mode="after")
    def _one_of(self) -> _Texts:
        if (self.text is None) == (self.texts is None):
            raise ValueError('give exactly one of "text" or "texts"')
        if self.texts is not None and not self.texts:
            raise ValueError('"texts" is empty')
        return self

    def items(self) -> list[str]:
        return [self.text] if self.text is not None else list(self.texts or [])


class TranslateRequest(_Texts):
    source: str = Field("auto", min_length=1, max_length=16, description="en, ko, ru or auto (detect).")
    target: str = Field(min_length=1, max_length=16, description="en, ko or ru.", examples=["ru"])
    format: FormatName = Field(
        "text", description="Markup and code stay intact; only human text is translated.")
    glossary: bool | str = Field(True, description=(
        "Enforce glossary renderings and report every term: true (the house glossary), false "
        "(none), or the name of a named glossary, whose entries override the house glossary's "
        "for the same term."), examples=[True, "desk-sports"])
    house_glossary: bool = Field(True, description=(
        "With a named glossary: also enforce the house glossary's other terms (false: only the "
        "named glossary)."))
    force_source: bool = Field(False, description="Translate from the given source even when the text "
                                                  "contradicts it (otherwise 422 source_mismatch).")


class DetectRequest(_Texts):
    pass


class ParagraphLanguage(BaseModel):
    start: int = Field(description="Offset of the paragraph in the submitted text.")
    end: int
    language: str = Field(description="The language it was translated from (or named and left as it is).")


class Detected(BaseModel):
    language: str
    confidence: float
    paragraphs: list[ParagraphLanguage] = Field([], description="Each paragraph's language (mixed articles).")


class TermSpan(BaseModel):
    start: int
    end: int
    text: str


class Term(BaseModel):
    concept: str
    category: str
    source: TermSpan
    rendering: str
    status: Literal["applied", "misinflected", "missed", "unexpected"] | str
    strategy: str = ""


class SentenceAlignment(BaseModel):
    source_start: int
    source_end: int
    target_start: int
    target_end: int


class Translation(BaseModel):
    translation: str
    source: str = Field(description="The source language used (detected when auto).")
    target: str
    detected: Detected | None = Field(None, description="Set when the source was detected.")
    terms: list[Term] = Field(description="Every glossary term occurrence: applied, misinflected or missed; and "
                              "unexpected: a concept the translation names that the source does not.")
    warnings: list[str]
    models: list[str] = Field(description="Model packages this text went through.")
    sentences: list[SentenceAlignment] = []


class TranslateResponse(BaseModel):
    results: list[Translation]
    models: list[str] = Field(description="Model packages used for the whole request.")


class Alternative(BaseModel):
    language: str
    confidence: float


class Detection(BaseModel):
    language: str = Field(description='ISO 639-1 code, or "und" when undetermined.')
    confidence: float
    supported: bool = Field(description="Whether Glossa translates this language.")
    alternatives: list[Alternative] = []


class DetectResponse(BaseModel):
    results: list[Detection]


class Route(BaseModel):
    target: str
    available: bool
    pivot: str | None = Field(None, description="Intermediate language when there is no direct model.")
    models: list[str] = []
    missing: str | None = Field(None, description="Why the direction is unavailable, and what to install.")


class Language(BaseModel):
    code: str
    name: str
    routes: list[Route]


class LanguagesResponse(BaseModel):
    languages: list[Language]


class ModelInfo(BaseModel):
    pair: str
    source: str
    target: str
    version: str
    name: str
    demo: bool


class ModelsResponse(BaseModel):
    models: list[ModelInfo]
    problems: list[str] = Field(description="Package directories that cannot be used, and why.")


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Readiness(BaseModel):
    ready: bool
    models: list[str] = []
    problems: list[str] = []


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


# -- LibreTranslate-compatible ------------------------------------------------------------------

class LibreTranslateRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: str | list[str]
    source: str = Field("auto", min_length=1, max_length=16)
    target: str = Field(min_length=1, max_length=16)
    format: Literal["text", "html"] = "text"
    api_key: str | None = None
    # The range is documented in the schema; the route checks it, answering LibreTranslate's own
    # error above 3 and reading a negative count as 0, as LibreTranslate does.
    alternatives: int = Field(0, json_schema_extra={"minimum": 0, "maximum": 3},
                              description="Other translations of each text to return beside the best one "
                              "(at most 3; fewer when the model has fewer distinct ones).")
    # Glossa's extension (LibreTranslate clients never send it): a named glossary to enforce.
    glossary: str | None = Field(None, max_length=64, description="Glossa extension: a named glossary.")
    house_glossary: bool = Field(True, description="Glossa extension: also enforce the house glossary.")


class LibreDetectRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: str
    api_key: str | None = None


class LibreDetected(BaseModel):
    confidence: float = Field(description="0 to 100, as LibreTranslate reports it.")
    language: str


class LibreExtension(BaseModel):
    """Glossa's own report beside LibreTranslate's fields (its clients ignore unknown fields)."""

    terms: list[Term]
    warnings: list[str]
    demo: bool = Field(description="Translated with the demo models (not real translation).")


class LibreTranslateResponse(BaseModel):
    translatedText: str | list[str]  # noqa: N815 - LibreTranslate's field names
    detectedLanguage: LibreDetected | list[LibreDetected] | None = None  # noqa: N815
    alternatives: list[str] | list[list[str]] | None = None
    glossa: LibreExtension | list[LibreExtension] | None = None

    model_config = ConfigDict(json_schema_extra={"example": {
        "translatedText": "Ким Чен Ын посетил Москву.",
        "detectedLanguage": {"confidence": 99.0, "language": "en"}}})


class LibreLanguage(BaseModel):
    code: str
    name: str
    targets: list[str]


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "Bad input: empty text, malformed JSON, invalid UTF-8.",
        413: "Too large: body, characters or texts over the configured limits.",
        422: "Unknown or unsupported language, missing model, or a field of the wrong type.",
    }.items()
}


# -- glossary -------------------------------------------------------------------------------------

class RenderingBody(BaseModel):
    """How a concept is written in one language."""

    text: str = Field(min_length=1, max_length=500, examples=["Ким Чен Ын"])
    variants: list[str] = Field([], description="Other spellings recognised in source text.")
    shorts: list[str] = Field([], description="Short forms for second mentions (`Lyubimova`; "
                              "`Workers' Party [anywhere]` also without a full mention); see docs/glossary.md.")
    fuzzy: bool = Field(False, description="Proposed, not enforced.")
    gender: Literal["m", "f", "n"] | None = Field(None, description="Russian declension of names.")
    forms: dict[str, str] = Field({}, description='Explicit forms, e.g. {"gen.sg": "Ким Чен Ына"}.')
    indeclinable: bool = False
    comment: str = ""


class ConceptBody(BaseModel):
    term: str = Field(min_length=1, max_length=500, description="Canonical English term (the concept's id).",
                      examples=["Kim Jong Un"])
    category: str = Field("term", max_length=40, examples=["person"])
    note: str = Field("", max_length=5000)
    renderings: dict[str, RenderingBody] = Field({}, description="By language code: en, ko, ru.")


class ConceptUpdate(BaseModel):
    """Only what is given changes; the verbs are those of `glossa glossary update`."""

    note: str | None = Field(None, max_length=5000, description="Replaces the note when given.")
    renderings: dict[str, RenderingBody | None] = Field(
        {}, description="Languages to replace; null removes that language's rendering. Others are kept.")
    add_variants: dict[Lang, list[str]] = Field({}, description="Spellings to add, by language.")
    remove_variants: dict[Lang, list[str]] = Field({}, description="Spellings to stop recognising.")
    approve: list[Lang] = Field([], description="Languages whose rendering is enforced from now on.")
    propose: list[Lang] = Field([], description="Languages whose rendering becomes proposed (fuzzy).")
    clear: list[Lang] = Field([], description="Languages whose rendering is removed.")
    clear_forms: list[str] = Field([], description='Russian form overrides to drop, e.g. ["gen.sg"].')


class ConceptOut(ConceptBody):
    retired: bool = False


class GlossaryPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[ConceptOut]


class ImportResult(BaseModel):
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    recategorised: list[str] = Field([], description=(
        "Concepts the file gives another category than the glossary's: matched by term, category kept."))
    dry_run: bool


class GlossaryCreate(BaseModel):
    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$",
                      examples=["desk-sports"], description="Lowercase letters, digits, '-' and '_'.")
    description: str = Field("", max_length=1000)


class GlossaryInfo(BaseModel):
    name: str = Field(description='"house" for the house glossary.')
    concepts: int
    version: str = Field(description="Changes whenever the glossary's files change.")
    created: str | None = None
    description: str = ""
    problems: int = Field(0, description="Entries that cannot be read and are skipped (see /check).")


class GlossaryList(BaseModel):
    glossaries: list[GlossaryInfo]
