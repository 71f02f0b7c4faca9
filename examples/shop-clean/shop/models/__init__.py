from .basket import Basket, BasketLine

__all__ = ["Basket", "BasketLine"]
