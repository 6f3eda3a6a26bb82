def render(rows):
    out = []
    for row in rows:
        out.append(", ".join(row))
    return "\n".join(out)
