from fastapi import APIRouter, Depends, HTTPException, status

from api.core import messages
from api.crud import list_themes
from api.deps import CurrentStaff, SessionDep, SettingsDep, require_service_or_staff
from api.schemas import ClassifyRequest, ClassifyResponse, ThemePublic
from api.theme_service import ClassifierUnavailable, classify, explain

router = APIRouter(tags=["themes"])


@router.get("/themes", response_model=list[ThemePublic])
def read_themes(session: SessionDep, _staff: CurrentStaff) -> list[ThemePublic]:
    """The theme taxonomy, retired themes included (staff only)."""
    return [ThemePublic.model_validate(theme) for theme in list_themes(session=session)]


@router.post("/classify", response_model=ClassifyResponse, dependencies=[Depends(require_service_or_staff)])
def classify_text(body: ClassifyRequest, settings: SettingsDep, session: SessionDep) -> ClassifyResponse:
    """The themes of one text: those over the threshold (at least one), every score, the words behind each."""
    try:
        [prediction], version = classify(settings.theme_model_dir, [body.text])
    except ClassifierUnavailable as error:
        raise HTTPException(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail=messages.CLASSIFIER_UNAVAILABLE
        ) from error
    labels = {theme.code: theme.label for theme in list_themes(session=session)}
    return ClassifyResponse(
        text=body.text,
        themes=prediction.themes,
        scores=prediction.scores,
        model_version=version,
        labels={code: labels.get(code, code) for code in prediction.themes},
        evidence=explain(settings.theme_model_dir, body.text, prediction.themes) if body.evidence else {},
    )
