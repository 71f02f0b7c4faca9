import pytest


@pytest.mark.asyncio
async def test_basket_list_starts_empty() -> None:
    baskets: list[dict] = []
    assert baskets == []
