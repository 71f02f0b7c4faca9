from fastapi import Request
from fastapi.responses import HTMLResponse

from shop.routing import APIRouter

# Pages, not an API: kept out of the OpenAPI schema and answering HTML.
router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)


@router.get("/", name="home")
async def home(request: Request) -> str:
    return "<h1>Shop</h1>"


@router.post("/contact", name="contact")
async def contact(request: Request) -> str:
    return "<p>Thanks!</p>"
