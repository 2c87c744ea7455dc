"""Streamlining reports and what-if scenarios."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from govmap.analysis.whatif import Scenario, ScenarioDiff, what_if
from govmap.api.deps import GraphDep
from govmap.api.schemas import ErrorOut
from govmap.reports import FORMATS, build_report, render_report, report_format

router = APIRouter(tags=["reports"])

# The formats come from the registry, so a new format needs no change here.
Format = Annotated[Literal[tuple(FORMATS)],  # type: ignore[valid-type]
                   Query(description=", ".join(FORMATS))]
SCENARIO_EXAMPLE = {"name": "Abolish The Promise Scotland in 2030",
                    "operations": [{"op": "abolish", "body": "the-promise-scotland"}]}


def _download(content: bytes, name: str, scenario: bool) -> Response:
    fmt = report_format(name)
    filename = f"govmap-streamlining{'-scenario' if scenario else ''}.{fmt.extension}"
    disposition = "inline" if name == "html" else "attachment"
    return Response(content, media_type=fmt.media_type,
                    headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})


@router.get("/reports/streamlining", summary="The streamlining report",
            responses={200: {"content": {"application/pdf": {}, "text/csv": {}}}})
def streamlining_report(graph: GraphDep, format: Format = "html") -> Response:
    """Recommendations by priority, each with its rule, rationale, findings and
    evidence; figures; a chart of gaps by priority area; a picture of the landscape.

    Example: `GET /reports/streamlining?format=pdf`
    """
    return _download(render_report(build_report(graph), graph, format), format, False)


@router.post("/reports/streamlining", summary="The report for a what-if scenario",
             responses={422: {"model": ErrorOut}})
def scenario_report(graph: GraphDep, scenario: Annotated[Scenario, Body(
        examples=[SCENARIO_EXAMPLE])], format: Format = "html") -> Response:
    """The report after applying `scenario` to a copy of the graph, with the diff
    (before/after) at the top. The store is not changed.

    Example: `POST /reports/streamlining?format=md` with a scenario body
    """
    return _download(render_report(build_report(graph, scenario), graph, format), format, True)


@router.post("/scenarios", response_model=ScenarioDiff, responses={422: {"model": ErrorOut}},
             summary="What if a body is abolished, merged or re-parented")
def run_scenario(graph: GraphDep, scenario: Annotated[Scenario, Body(
        examples=[SCENARIO_EXAMPLE])]) -> ScenarioDiff:
    """Apply operations (abolish, merge, reparent, add_relation, remove_relation) to a
    copy of the graph and return what changes: chains that break or heal, gaps opened
    and closed, duplication removed, metrics, and responsibilities left with no owner.
    Unknown ids give 422 naming the operation.

    Example: `POST /scenarios` with `{"name": "…", "operations": [{"op": "abolish", "body": "…"}]}`
    """
    return what_if(graph, scenario)
