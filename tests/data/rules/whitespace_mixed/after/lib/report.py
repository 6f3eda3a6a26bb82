def render(rows):
    out = []
    for row in rows:   
        cells = [c.strip() for c in row] 
        out.append(", ".join(cells))
    return "\n".join(out)


def header(names):
    return ", ".join(names)


