"""Outlets: the list, and one outlet's profile over all its stories."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from rashomon.web.views.common import not_found, reader, render, twin

router = APIRouter()


@router.get("/outlets.json")
def outlets_json(request: Request) -> Any:
    return twin({"outlets": reader(request).outlets()})


@router.get("/outlets")
def outlets_page(request: Request) -> Any:
    from rashomon.write.pictures import outlet_map_svg

    outlets = reader(request).outlets()
    points = reader(request).outlet_points(outlets)
    drawn = outlet_map_svg(points) if len(points) >= 2 else None  # markup whose every text is escaped
    return render(request, "outlets.html", outlets=outlets, outlet_map=drawn, mapped=len(points))


@router.get("/outlets/{name:path}")
def outlet_page(request: Request, name: str) -> Any:
    as_json = name.endswith(".json")
    name = name.removesuffix(".json") if as_json else name
    profile = reader(request).outlet(name)
    if profile is None:
        raise not_found(f"outlet {name!r}")
    return twin(profile) if as_json else render(request, "outlet.html", p=profile)
