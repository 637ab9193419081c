"""Logging in: the printed token (as `/login?token=…` or typed in the form) or the password sets a
session cookie. Ten failures from one client in a minute: 429 for the rest of the minute. Attempts that
another site's page makes (Sec-Fetch-Site cross-site or same-site) are refused and not counted: on
loopback every client is 127.0.0.1, so counting them would let any page lock the user out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse

from rashomon.web.security import COOKIE, Access, safe_next
from rashomon.web.views.common import render

router = APIRouter()


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def _signed_in(request: Request, target: str) -> Any:
    access: Access = request.app.state.access
    response = RedirectResponse(safe_next(target), status_code=303)
    response.set_cookie(
        COOKIE, access.session, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/"
    )
    return response


def _refused(request: Request, target: str, status: int, message: str) -> Any:
    access: Access = request.app.state.access
    return render(
        request,
        "login.html",
        status,
        next=safe_next(target),
        error=message,
        password=bool(access.password),
        json_path=None,
    )


@router.get("/login")
def login_page(
    request: Request, token: str | None = Query(None, max_length=200), next: str = Query("/", max_length=2000)
) -> Any:
    access: Access = request.app.state.access
    if access.token is None:
        return RedirectResponse(safe_next(next), status_code=303)
    if token is None:
        return render(
            request, "login.html", next=safe_next(next), error=None, password=bool(access.password), json_path=None
        )
    return _check(request, token, next)


@router.post("/login")
def login_form(
    request: Request, secret: str = Form(..., max_length=500), next: str = Form("/", max_length=2000)
) -> Any:
    return _check(request, secret, next)


FOREIGN_SITES = ("cross-site", "same-site", "cross-origin")


def _check(request: Request, secret: str, target: str) -> Any:
    access: Access = request.app.state.access
    if request.headers.get("sec-fetch-site", "").lower() in FOREIGN_SITES:
        # An <img src="http://127.0.0.1:8000/login?token=x"> on any page: neither checked nor counted,
        # so another site can neither guess the password nor lock the user out.
        return _refused(
            request, target, 403, "A login started by another site is not accepted; open the printed URL yourself."
        )
    client = _client(request)
    if access.too_many_failures(client):
        return _refused(request, target, 429, "Too many failed attempts; wait a minute.")
    if access.token_ok(secret) or access.password_ok(secret):
        return _signed_in(request, target)
    access.failed(client)
    return _refused(request, target, 401, "That is not the token (or the password).")
