"""Streamlining reports and what-if scenarios."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from ruamel.yaml import YAML, YAMLError

from govmap.analysis.whatif import Scenario, ScenarioDiff, what_if
from govmap.api.deps import GraphDep
from govmap.api.schemas import errors
from govmap.errors import InvalidRequestError
from govmap.reports import FORMATS, build_report, render_report, report_format

router = APIRouter(tags=["reports"])
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


async def scenario_body(request: Request) -> Scenario:
    """The scenario in the request body, as JSON or as YAML (like the shipped files)."""
    text = (await request.body()).decode("utf-8", errors="replace")
    media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    try:
        data = YAML(typ="safe").load(text) if media in YAML_TYPES else json.loads(text or "null")
    except (YAMLError, ValueError) as exc:
        raise InvalidRequestError(f"the scenario is not valid {'YAML' if media in YAML_TYPES else 'JSON'}: "
                                  f"{str(exc).splitlines()[0]}") from None
    return Scenario.model_validate(data)


ScenarioBody = Annotated[Scenario, Depends(scenario_body)]
SCENARIO_OPENAPI = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/Scenario"},
                         "example": {"name": "Abolish The Promise Scotland in 2030",
                                     "operations": [{"op": "abolish", "body": "the-promise-scotland"}]}},
    "application/yaml": {"schema": {"$ref": "#/components/schemas/Scenario"}}}}}

# The formats come from the registry, so a new format needs no change here.
Format = Annotated[Literal[tuple(FORMATS)],  # type: ignore[valid-type]
                   Query(description=", ".join(FORMATS))]


def _download(content: bytes, name: str, scenario: bool) -> Response:
    fmt = report_format(name)
    filename = f"govmap-streamlining{'-scenario' if scenario else ''}.{fmt.extension}"
    disposition = "inline" if name == "html" else "attachment"
    return Response(content, media_type=fmt.media_type,
                    headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})


@router.get("/reports/streamlining", summary="The streamlining report",
            responses={200: {"content": {"application/pdf": {}, "text/csv": {}}}, **errors(404, 422)})
def streamlining_report(graph: GraphDep, format: Format = "html") -> Response:
    """Recommendations by priority, each with its rule, rationale, findings and
    evidence; key messages, findings by theme, limitations and appendices.

    Example: `GET /reports/streamlining?format=pdf`
    """
    return _download(render_report(build_report(graph), graph, format), format, False)


@router.post("/reports/streamlining", summary="The report for a what-if scenario",
             responses=errors(404, 413, 422), openapi_extra=SCENARIO_OPENAPI)
def scenario_report(graph: GraphDep, scenario: ScenarioBody, format: Format = "html") -> Response:
    """The report after applying `scenario` to a copy of the graph, with the diff
    (before/after) at the top. The store is not changed.

    Example: `POST /reports/streamlining?format=md` with a scenario body
    """
    return _download(render_report(build_report(graph, scenario), graph, format), format, True)


@router.post("/scenarios", response_model=ScenarioDiff, responses=errors(404, 413, 422),
             summary="What if a body is abolished, merged or re-parented",
             openapi_extra=SCENARIO_OPENAPI)
def run_scenario(graph: GraphDep, scenario: ScenarioBody) -> ScenarioDiff:
    """Apply operations (abolish, merge, reparent, add_relation, remove_relation) to a
    copy of the graph and return what changes: chains that break or heal, gaps opened
    and closed, duplication removed, metrics, and responsibilities left with no owner.
    Unknown ids give 422 naming the operation.

    The body is JSON, or YAML (`Content-Type: application/yaml`) in the shape of the files
    in `scenarios/`.

    Example: `POST /scenarios` with `{"name": "…", "operations": [{"op": "abolish", "body": "…"}]}`
    """
    return what_if(graph, scenario)
