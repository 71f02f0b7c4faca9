import pytest
from httpx import AsyncClient


@pytest.mark.asyncio
async def test_create_user(client: AsyncClient) -> None:
    response = await client.post("/api/v1/users", json={"email": "a@example.com", "full_name": "Ada"})
    assert response.status_code == 201
