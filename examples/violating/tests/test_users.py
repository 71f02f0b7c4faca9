import pytest


@pytest.mark.asyncio
async def test_create_user(client) -> None:
    response = await client.post("/api/v1/users", json={"email": "a@example.com"})
    assert response.status_code == 201


async def test_list_users(client) -> None:
    response = await client.get("/api/v1/users")
    assert response.status_code == 200
