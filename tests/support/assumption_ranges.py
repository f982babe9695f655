#!/usr/bin/python3
"""Assumptions as data in the shipped scenarios (docs/SCENARIO.md, "Values with a range").

  assumption_ranges.py convert FILE...  rewrites each numeric line labelled
      `key: 0.55  # ... assumption, range 0.4-0.7 (why ...)` as
      `key: {value: 0.55, range: [0.4, 0.7], note: "... (why ...)"}` (a block mapping when the
      line would be long), in place; a one-line entry `- {a: x, key: 5}  # assumption, range ...`
      has its one number declared the same way.
  assumption_ranges.py check FILE...    prints every numeric line still labelled an assumption
      without a declared range and exits 1 if there is one (tests/python/test_assumptions.py).

The value's text is kept as written, so a run reads the same number and records the same text.
"""
import re
import sys

NUMBER = r"-?[0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
# `  key: 12.5   # comment`, the key a name or a year.
PLAIN = re.compile(r"^(?P<indent>\s*)(?P<dash>- )?(?P<key>[A-Za-z0-9_]+):\s+(?P<value>" + NUMBER +
                   r")\s+#\s?(?P<comment>.*)$")
# `  - {a: x, key: 5}   # comment`, or `key: {sub: 5}   # comment`.
FLOW = re.compile(r"^(?P<head>\s*(?:- |[A-Za-z0-9_]+: ))\{(?P<body>[^{}]*)\}\s+#\s?(?P<comment>.*)$")
RANGE = re.compile(r"(?:[;,:]\s*)?assumption,\s*range\s+(?P<low>" + NUMBER + r")\s*-\s*(?P<high>" +
                   NUMBER + r")\s*[,;:]?\s*")
LABEL = re.compile(r"\bassumption\b")
MAX_LINE = 100


def quoted(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def note_of(comment, match):
    """The comment with its `assumption, range A-B` cut out, one outer pair of brackets off."""
    note = (comment[:match.start()] + (" " if match.start() else "") + comment[match.end():]).strip()
    return unwrap(note.strip(" ;,:"))


def unwrap(note):
    """'(A); B' as 'A; B': the brackets of a leading part go (the label they followed is gone)."""
    if not note.startswith("("):
        return note
    depth = 0
    for i, c in enumerate(note):
        depth += (c == "(") - (c == ")")
        if depth == 0:
            return (note[1:i] + note[i + 1:]).strip()
    return note


def flow_declaration(value, match, note):
    parts = [f"value: {value}", f"range: [{match['low']}, {match['high']}]"]
    if note:
        parts.append(f"note: {quoted(note)}")
    return "{" + ", ".join(parts) + "}"


def block_declaration(indent, value, match, note):
    lines = [f"{indent}value: {value}", f"{indent}range: [{match['low']}, {match['high']}]"]
    if note:
        lines.append(f"{indent}note: {quoted(note)}")
    return lines


def convert_plain(m, match):
    note = note_of(m["comment"], match)
    head = m["indent"] + (m["dash"] or "") + m["key"] + ":"
    one_line = f"{head} {flow_declaration(m['value'], match, note)}"
    if len(one_line) <= MAX_LINE:
        return [one_line]
    inner = m["indent"] + ("  " if m["dash"] else "") + "  "
    return [head] + block_declaration(inner, m["value"], match, note)


def flow_entries(body):
    return [tuple(s.strip() for s in part.split(":", 1)) for part in body.split(",")]


def convert_flow(m, match):
    """A one-line mapping with one number: that number is declared; None if not so."""
    entries = flow_entries(m["body"])
    if any(len(e) != 2 for e in entries):
        return None
    numeric = [i for i, (_, v) in enumerate(entries) if re.fullmatch(NUMBER, v)]
    if len(numeric) != 1:
        return None
    note = note_of(m["comment"], match)
    k, v = entries[numeric[0]]
    entries[numeric[0]] = (k, flow_declaration(v, match, note))
    one_line = m["head"] + "{" + ", ".join(f"{a}: {b}" for a, b in entries) + "}"
    if len(one_line) <= MAX_LINE:
        return [one_line]
    head = m["head"].rstrip()
    indent = re.match(r"\s*", head).group(0) + "  "
    lines = [head] if not head.endswith("-") else []
    for i, (a, b) in enumerate(entries):
        prefix = (head + " ") if head.endswith("-") and i == 0 else indent
        if i == numeric[0]:
            lines.append(f"{prefix}{a}:")
            lines += block_declaration(indent + "  ", v, match, note)
        else:
            lines.append(f"{prefix}{a}: {b}")
    return lines


def convert_line(line):
    """The line's replacement, or None to keep it."""
    if not LABEL.search(line) or line.lstrip().startswith("#"):
        return None
    for pattern, convert in ((PLAIN, convert_plain), (FLOW, convert_flow)):
        m = pattern.match(line)
        if m:
            match = RANGE.search(m["comment"])
            return convert(m, match) if match else None
    return None


def unconverted(line):
    """Whether a numeric line is labelled an assumption without a declared range."""
    if line.lstrip().startswith("#") or not LABEL.search(line):
        return False
    return bool(PLAIN.match(line) or (FLOW.match(line) and re.search(r":\s*" + NUMBER + r"\s*[,}]",
                                                                      line)))


def convert(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out = []
    for line in lines:
        replacement = convert_line(line)
        out += [line] if replacement is None else replacement
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def check(paths):
    bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if unconverted(line.rstrip("\n")):
                    print(f"{path}:{number}: labelled an assumption without a range: {line.strip()}")
                    bad += 1
    return 1 if bad else 0


def main(argv):
    if len(argv) < 3 or argv[1] not in ("convert", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "check":
        return check(argv[2:])
    for path in argv[2:]:
        convert(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
