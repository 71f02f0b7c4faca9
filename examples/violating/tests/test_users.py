import pytest


@pytest.mark.asyncio
async def test_create_user(client) -> None:
    response = await client.post("/api/v1/users", json={"email": "a@example.com"})
    assert response.status_code == 201
