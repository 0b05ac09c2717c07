"""A small staff-development web app embedding devcycle, as an MIS vendor would.

Starlette-based FastAPI over any devcycle store (PostgreSQL for a vendor, SQLite locally),
through the public API only: `devcycle.open_store`, `devcycle.services.Services`,
`devcycle.check`, `devcycle.reports` and
`devcycle.render`. Each cycle has a page for its reviewee and its reviewer showing what each
may do at the cycle's stage; objectives are checked as they are typed; proformas and reports
are served as pages and downloads.

Signing in is a stand-in: a vendor plugs in its own single sign-on and maps its user to a
school and staff id, and each request to a `devcycle.Actor` (see the how-to "Map your users
to actors"). Here a signed session cookie holds the school and staff id chosen on the first
page; `Services.actor_for` turns them into the actor they are (on a cycle, or for the
whole school) from devcycle's own records, and the services check every call against the
access policy, so the app never chooses a role, redacts or refuses by hand.

Run it: ``python examples/mis_app/run.py`` (see README.md beside this file).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

import devcycle as dc
from devcycle.demo import build_demo
from devcycle.render import get_renderer
from devcycle.reports import REPORT_NAMES
from devcycle.services import Services

HERE = Path(__file__).resolve().parent
STAGES = ("planning", "check_in", "mid_year", "final")
DOWNLOADS = {"html": "text/html; charset=utf-8", "docx": None, "md": None}


class NotAllowedError(Exception):
    """The signed-in person may not see or do this."""


def create_app(  # noqa: PLR0915 - one route per intention, registered in one place
    store_url: str, *, today: date | None = None, secret: str | None = None
) -> FastAPI:
    """Build the app over the store at *store_url*.

    Args:
        store_url: Any devcycle store URL (``postgresql+psycopg://...``, ``sqlite:///...``).
        today: The date the app acts on (tests fix it); default: the real date each request.
        secret: The key that signs session cookies; default: a fresh random one.
    """
    store = dc.open_store(store_url)
    services = Services(store)
    templates = Jinja2Templates(directory=HERE / "templates")
    app = FastAPI(title="devcycle example MIS app")
    app.add_middleware(
        SessionMiddleware, secret_key=secret or secrets.token_hex(32), same_site="strict"
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.state.store = store

    def on_day() -> date:
        return today or date.today()

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        user = _user(request)
        try:
            leader = user is not None and bool(
                services.decide(services.actor_for(*user, on=on_day()), "report", user[0])
            )
        except (dc.NotFoundError, dc.AccessDenied):  # signed in as someone who has since left
            leader = False
        return templates.TemplateResponse(
            request,
            name,
            {"user": user, "leader": leader, "today": on_day(), **context},
            status_code=status,
        )

    # ---------------------------------------------------------------- errors, one place
    def error_page(status: int, title: str) -> Callable[[Request, Exception], HTMLResponse]:
        def handle(request: Request, exc: Exception) -> HTMLResponse:
            return page(request, "error.html", status, title=title, message=str(exc))

        return handle

    app.add_exception_handler(NotAllowedError, error_page(403, "Not allowed"))
    app.add_exception_handler(dc.AccessDenied, error_page(403, "Not allowed"))
    app.add_exception_handler(dc.NotFoundError, error_page(404, "Not found"))
    app.add_exception_handler(dc.DomainError, error_page(409, "That cannot be done now"))
    app.add_exception_handler(dc.ValidationError, error_page(422, "Please check what you entered"))
    app.add_exception_handler(
        dc.ConflictError, error_page(409, "Someone else changed this: reload and try again")
    )

    def signed_in(request: Request) -> tuple[str, str]:
        user = _user(request)
        if user is None:
            raise NotAllowedError("sign in first")
        return user

    def visible_cycle(request: Request, cycle_id: str) -> tuple[dc.Cycle, dc.Actor]:
        """Return a cycle as the signed-in person may see it, and the actor they act as.

        devcycle refuses (`AccessDenied`, a 403 page) anyone the policy does not let read it.
        """
        school_id, staff_id = signed_in(request)
        # the role comes from the stored records (their staff record, the cycle's reviewee
        # and reviewer), never from the request
        actor = services.actor_for(school_id, staff_id, cycle_id, on=on_day())
        return services.get_cycle(actor, school_id, cycle_id), actor

    # ---------------------------------------------------------------- pages
    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        schools = store.schools.list()
        staff = {s.id: store.staff.for_school(s.id) for s in schools}
        return page(request, "home.html", schools=schools, staff=staff)

    @app.post("/sign-in")
    def sign_in(request: Request, person: str = Form(...)) -> RedirectResponse:
        school_id, _, staff_id = person.partition("/")
        store.staff.get(school_id, staff_id)  # NotFoundError -> 404 page
        request.session["user"] = [school_id, staff_id]
        return RedirectResponse("/cycles", status_code=303)

    @app.post("/sign-out")
    def sign_out(request: Request) -> RedirectResponse:
        request.session.clear()
        return RedirectResponse("/", status_code=303)

    @app.get("/cycles", response_class=HTMLResponse)
    def cycles(request: Request) -> HTMLResponse:
        school_id, staff_id = signed_in(request)
        services.actor_for(school_id, staff_id, on=on_day())  # someone who has left: a 403
        staff = {m.id: m for m in store.staff.for_school(school_id)}
        mine = [c for c in store.cycles.for_school(school_id) if c.party(staff_id).value != "other"]
        mine.sort(key=lambda c: (c.staff_id != staff_id, c.period_start, c.id), reverse=False)
        return page(request, "cycles.html", cycles=mine, staff=staff, me=staff_id)

    @app.get("/cycles/{cycle_id}", response_class=HTMLResponse)
    def cycle_page(request: Request, cycle_id: str) -> HTMLResponse:
        cycle, actor = visible_cycle(request, cycle_id)
        school_id, staff_id = actor.school_id or "", actor.user_id
        staff = {m.id: m for m in store.staff.for_school(school_id)}
        findings = {o.id: dc.check(o, context=cycle).findings for o in cycle.objectives}
        # What the person may do now, as the names of the methods to call: the cycle's
        # rules and the access policy together decide which buttons the page shows.
        actions = {
            o.id: services.available_actions(actor, school_id, cycle.id, o.id)
            for o in cycle.objectives
        }
        return page(
            request,
            "cycle.html",
            cycle=cycle,
            staff=staff,
            me=staff_id,
            party=cycle.party(staff_id).value,
            findings=findings,
            actions=actions,
            cycle_actions=services.available_actions(actor, school_id, cycle.id),
            stages=STAGES,
        )

    # ---------------------------------------------------------------- changes
    def change(request: Request, cycle_id: str, do: Callable[[dc.Cycle, str, date], object]) -> Any:
        _cycle, actor = visible_cycle(request, cycle_id)
        school_id = actor.school_id or ""
        services.change_cycle(actor, school_id, cycle_id, lambda c: do(c, actor.user_id, on_day()))
        return RedirectResponse(f"/cycles/{cycle_id}", status_code=303)

    @app.post("/cycles/{cycle_id}/objectives")
    def propose(
        request: Request,
        cycle_id: str,
        statement: str = Form(...),
        success: str = Form(""),
        deadline: str = Form(""),
    ) -> Any:
        criteria = [line.strip() for line in success.splitlines() if line.strip()]
        due = _date_field(deadline, "deadline")
        return change(
            request,
            cycle_id,
            lambda c, by, on: c.propose_objective(
                by=by, on=on, statement=statement, success_criteria=criteria, deadline=due
            ),
        )

    @app.post("/cycles/{cycle_id}/objectives/{objective_id}/agree")
    def agree(request: Request, cycle_id: str, objective_id: str) -> Any:
        return change(
            request, cycle_id, lambda c, by, on: c.agree_objective(objective_id, by=by, on=on)
        )

    @app.post("/cycles/{cycle_id}/objectives/{objective_id}/return")
    def return_(request: Request, cycle_id: str, objective_id: str, reason: str = Form(...)) -> Any:
        return change(
            request,
            cycle_id,
            lambda c, by, on: c.return_objective(objective_id, by=by, on=on, reasons=[reason]),
        )

    @app.post("/cycles/{cycle_id}/objectives/{objective_id}/check-in")
    def check_in(
        request: Request,
        cycle_id: str,
        objective_id: str,
        note: str = Form(...),
        rag: str = Form(""),
    ) -> Any:
        colour = dc.RAG(rag) if rag else None
        return change(
            request,
            cycle_id,
            lambda c, by, on: c.record_check_in(objective_id, by=by, on=on, note=note, rag=colour),
        )

    # ---------------------------------------------------------------- checker, live
    @app.post("/api/check")
    async def check(request: Request) -> JSONResponse:
        signed_in(request)
        body = await request.json()
        text = body.get("text", "") if isinstance(body, dict) else ""
        if not isinstance(text, str):
            raise HTTPException(422, "text must be a string")
        result = dc.check(text[:5000])
        return JSONResponse(
            {
                "verdicts": result.verdicts,
                "data_target": result.data_target,
                "findings": [
                    {"code": f.code, "message": f.message, "fix": f.fix} for f in result.findings
                ],
            }
        )

    # ---------------------------------------------------------------- documents
    @app.get("/cycles/{cycle_id}/proforma/{stage}")
    def proforma(request: Request, cycle_id: str, stage: str, format: str = "html") -> Response:
        cycle, actor = visible_cycle(request, cycle_id)
        if stage not in STAGES or format not in DOWNLOADS:
            raise dc.NotFoundError("proforma", f"{stage}.{format}")
        # The audience follows from the actor: the reviewee's copy for the reviewee...
        document = services.proforma(actor, cycle.school_id, cycle.id, stage, as_of=on_day())
        return _document_response(document, format, f"{cycle.id}-{stage}")

    @app.get("/reports/{name}")
    def report(request: Request, name: str, format: str = "html") -> Response:
        school_id, staff_id = signed_in(request)
        actor = services.actor_for(school_id, staff_id, on=on_day())
        if name not in REPORT_NAMES or format not in DOWNLOADS:
            raise dc.NotFoundError("report", f"{name}.{format}")
        # The policy decides who may run reports and what they show (AccessDenied: a 403).
        result = services.report(actor, name, school_id, as_of=on_day())
        return _document_response(result.to_document(), format, f"{school_id}-{name}")

    @app.get("/reports", response_class=HTMLResponse)
    def reports(request: Request) -> HTMLResponse:
        school_id, staff_id = signed_in(request)
        actor = services.actor_for(school_id, staff_id, on=on_day())
        decision = services.decide(actor, "report", school_id)
        if not decision:
            raise dc.AccessDenied(decision.reason)
        return page(request, "reports.html", names=REPORT_NAMES)

    return app


def _user(request: Request) -> tuple[str, str] | None:
    value = request.session.get("user")
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return value[0], value[1]
    return None


def _date_field(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise dc.ValidationError([f"expected a date as YYYY-MM-DD @ {name}"]) from None


def _document_response(document: dc.Document, fmt: str, stem: str) -> Response:
    renderer = get_renderer(fmt)
    body = renderer.render(document)
    if fmt == "html":
        return Response(body, media_type=renderer.media_type)
    disposition = f'attachment; filename="{stem}{renderer.suffix}"'
    return Response(
        body, media_type=renderer.media_type, headers={"Content-Disposition": disposition}
    )


def seed_demo(store_url: str) -> None:
    """Save the demo school into the store if it is not there yet (for trying the app)."""
    sample = build_demo(2026)
    with dc.open_store(store_url) as store:
        try:
            store.schools.get(sample.school.id)
        except dc.NotFoundError:
            with store.transaction() as tx:
                sample.add_to(tx)
                tx.commit()
