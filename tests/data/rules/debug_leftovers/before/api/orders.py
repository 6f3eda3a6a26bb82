from decimal import Decimal


def apply_discount(order, code):
    if code is None:
        return order.total
    rate = Decimal(code.percent) / 100
    return order.total * (1 - rate)
