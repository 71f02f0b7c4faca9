from fastapi import FastAPI

from shop.api import baskets
from shop.web import pages

app = FastAPI(title="Shop")
app.include_router(baskets.router)
app.include_router(pages.router)
