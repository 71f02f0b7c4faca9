from .basket import Basket, BasketLine, Coupon

__all__ = ["Basket", "BasketLine", "Coupon"]
