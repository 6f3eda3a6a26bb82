from decimal import Decimal


def apply_discount(order, code):
    if code is None:
        return order.total
    if code.expired:
        breakpoint()
    rate = Decimal(code.percent) / 100
    print(f"DEBUG rate={rate} order={order.id}")
    import pdb; pdb.set_trace()
    print("Applied discount", code.name)
    return order.total * (1 - rate)
