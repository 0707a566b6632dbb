"""POST /v1/translate and POST /v1/detect."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from service.api.dependencies import get_state, require_translate_key
from service.api.schemas import (
    ERROR_RESPONSES,
    DetectRequest,
    DetectResponse,
    TranslateRequest,
    TranslateResponse,
)
from service.api.state import AppState
from service.api.translating import detect_texts, translate_texts

router = APIRouter(prefix="/v1", tags=["translation"])


@router.post("/translate", response_model=TranslateResponse, responses=ERROR_RESPONSES,
             dependencies=[Depends(require_translate_key)])
async def translate(body: TranslateRequest, state: AppState = Depends(get_state)) -> dict:
    """Translate one text or several; glossary terms are enforced and reported."""
    results = await translate_texts(state, body.items(), source=body.source, target=body.target,
                                    format=body.format, glossary=body.glossary,
                                    house_glossary=body.house_glossary, force_source=body.force_source)
    models: list[str] = []
    for result in results:
        models.extend(m for m in result.models if m not in models)
    return {"results": [r.to_dict() for r in results], "models": models}


@router.post("/detect", response_model=DetectResponse, responses=ERROR_RESPONSES,
             dependencies=[Depends(require_translate_key)])
async def detect(body: DetectRequest, state: AppState = Depends(get_state)) -> dict:
    """Identify the language of each text; unsupported languages are named, with supported=false."""
    detections = await detect_texts(state, body.items())
    return {"results": [d.to_dict() for d in detections]}
