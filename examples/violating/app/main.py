import os

from fastapi import FastAPI

from app.api.v1.endpoints import users

app = FastAPI()  # noqa: CL301
app.include_router(users.router, prefix="/api/v1")

DEBUG = os.getenv("DEBUG") == "1"
