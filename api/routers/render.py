"""The interactive map: the explorer page at `/`, pyvis renders, and the map's data."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import HTMLResponse, Response

from govmap.analysis.duplication import duplication
from govmap.api.deps import AsAt, GraphDep
from govmap.api.schemas import errors
from govmap.errors import NotFoundError
from govmap.model import AssessmentStatus, BodyType, NodeKind, RelType
from govmap.queries.accountability import accountability_chain
from govmap.visualisations.render import (
    Layout,
    MapFilter,
    accountability_page,
    duplication_page,
    embed_page,
    filtered_graph,
    legend,
    map_data,
    map_filter,
    map_page,
    map_vocabularies,
    own_asset,
    vis_asset,
)

router = APIRouter(tags=["map"])

ASSETS = {
    "vis-network.min.js": ("application/javascript", lambda: vis_asset("vis-network.min.js")),
    "vis-network.css": ("text/css", lambda: vis_asset("vis-network.css")),
    "map-common.js": ("application/javascript", lambda: own_asset("map-common.js")),
    "explorer.js": ("application/javascript", lambda: own_asset("explorer.js")),
    "explorer.css": ("text/css", lambda: own_asset("explorer.css")),
}


def map_filter_query(
    graph: GraphDep,
    kind: Annotated[list[NodeKind] | None, Query(description="Entity kinds to keep")] = None,
    type: Annotated[list[BodyType] | None, Query(description="Body types to keep")] = None,
    priority: Annotated[list[str] | None, Query(
        description="Priority areas (actions): id, name or alias")] = None,
    rel: Annotated[list[RelType] | None, Query(description="Relationship types to keep")] = None,
    status: Annotated[list[AssessmentStatus] | None, Query(description="Action statuses")] = None,
    focus: Annotated[str | None, Query(max_length=200, description="Centre: id, name or alias")] = None,
    depth: Annotated[int, Query(ge=1, le=5, description="Hops around the focus")] = 1,
    as_at: AsAt = None,
) -> MapFilter:
    return map_filter(graph, kinds=kind or (), body_types=type or (), priority_areas=priority or (),
                      rel_types=rel or (), statuses=status or (), focus=focus, depth=depth, day=as_at)


MapFilterDep = Annotated[MapFilter, Depends(map_filter_query)]
Expand = Annotated[list[str] | None, Query(
    max_length=50, description="Groups of an aggregated map to draw member by member (their ids)")]


@router.get("/", response_class=HTMLResponse, summary="The explorer page")
def explorer() -> HTMLResponse:
    """The reviewer's explorer: the map, search, filters and a details panel.

    Example: `GET /?selected=promise-oversight-board`
    """
    return HTMLResponse(own_asset("explorer.html"))


@router.get("/static/{name}", responses=errors(404), summary="The explorer's scripts and styles")
def asset(name: Annotated[str, Path(json_schema_extra={"enum": list(ASSETS)})]) -> Response:
    """vis-network (served from the pyvis package) and the explorer's own files.

    Example: `GET /static/vis-network.min.js`
    """
    if name not in ASSETS:
        raise NotFoundError(f"no asset named {name!r}")
    media_type, read = ASSETS[name]
    return Response(read(), media_type=media_type,
                    headers={"Cache-Control": "public, max-age=3600"})


# the map's routes read the graph (GraphDep): an unknown revision or focus is 404, bad input 422
@router.get("/render/graph.json", responses=errors(404, 422), summary="Map data for the explorer")
def graph_json(
    graph: GraphDep, keep: MapFilterDep,
    layout: Annotated[Layout, Query(description="layers: top down, positions given; free: force layout")]
    = "layers", expand: Expand = None,
) -> dict[str, Any]:
    """vis-network nodes, edges and options for a filtered map, laid out top down by
    default (the Parliament at the top, actions at the bottom) or left to the physics.
    A map of more entities than a browser draws well comes in groups (`aggregate` then
    says so); `expand` draws the named groups member by member.

    Example: `GET /render/graph.json?kind=body&kind=action`
    """
    return {**map_data(filtered_graph(graph, keep), expand=expand or (), layout=layout), "legend": legend()}


@router.get("/render/vocabularies.json", responses=errors(404, 422), summary="The map filters' choices")
def vocabularies(graph: GraphDep) -> dict[str, list[dict[str, str]]]:
    """Every choice each map filter offers, keyed by its query parameter (kind, type,
    priority, rel, status), as a value and the words a person reads: the explorer builds
    its selects from this alone.

    Example: `GET /render/vocabularies.json`
    """
    return map_vocabularies(graph)


@router.get("/render/map.html", response_class=HTMLResponse, responses=errors(404, 422),
            summary="A standalone map")
def map_html(graph: GraphDep, keep: MapFilterDep, expand: Expand = None) -> HTMLResponse:
    """The whole map, or filtered by kind, type, priority area, relation type, status,
    or a focus and depth; vis-network is embedded, so the file works offline. A large
    map is drawn in groups, `expand` naming those to draw member by member.

    Example: `GET /render/map.html?focus=The Promise Scotland&depth=2`
    """
    return HTMLResponse(map_page(graph, keep, expand or ()).html())


@router.get("/render/accountability.html", response_class=HTMLResponse, responses=errors(404, 422),
            summary="An accountability chain, highlighted")
def accountability_html(
    graph: GraphDep,
    subject: Annotated[str, Query(alias="for", min_length=1, max_length=200,
                                  description="An action or body: id, name or alias")],
) -> HTMLResponse:
    """The chain for an action or body lit up, its neighbourhood faded.

    Example: `GET /render/accountability.html?for=Advocacy`
    """
    return HTMLResponse(accountability_page(graph, accountability_chain(graph, subject)).html())


@router.get("/render/duplication.html", response_class=HTMLResponse, responses=errors(404, 422),
            summary="Duplication by function")
def duplication_html(graph: GraphDep) -> HTMLResponse:
    """Each duplication finding's members joined to what they share.

    Example: `GET /render/duplication.html`
    """
    return HTMLResponse(duplication_page(graph, duplication(graph)).html())


@router.get("/embed", response_class=HTMLResponse, responses=errors(404, 422),
            summary="One chain, minimal, for another site")
def embed(
    graph: GraphDep,
    focus: Annotated[str, Query(min_length=1, max_length=200,
                                description="An action or body: id, name or alias")],
) -> HTMLResponse:
    """Only the chain of an action or body, top down, with one caption: self-contained
    (vis-network inline, nothing fetched) and escaped like every render.

    Example: `GET /embed?focus=Advocacy`
    """
    return HTMLResponse(embed_page(graph, accountability_chain(graph, focus)).html())
