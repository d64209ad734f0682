#!/usr/bin/env python3
"""Lists the public API items of tor-socksproto's source, one normalised line each.

usage: extract_items.py SRC_DIR      (the published crate's src/, e.g. from the cargo registry)

Reads every .rs file, skips `#[cfg(test)]` modules, and prints (sorted, unique):
  reexport NAME            every `pub use` of lib.rs (each name, `as` renames included)
  struct/enum/trait/type/const DECL   public declarations (generic bounds kept, whitespace
                                      normalised)
  variant ENUM::V(...)     enum variants; field STRUCT::f: T (public fields)
  fn OWNER::name(SIG) -> R public inherent methods and every method of a public trait
  impl TRAIT for TYPE      trait impls written out, `#[derive(...)]`s, `derive_deftly(Handshake)`
                           and what `caret_int!` generates
Impls of the crate's private traits (HandshakeImpl, HasHandshake*) are left out: user code cannot
name them. A line-based reader, not a Rust parser: it relies on rustfmt-formatted source,
which the published crate is.
"""
import os
import re
import sys

PRIVATE_TRAITS = {"HandshakeImpl", "HasHandshakeState", "HasHandshakeOutput"}


def norm(s):
    s = re.sub(r"\s+", " ", s).strip()
    s = s.replace("( ", "(").replace(" )", ")").replace(", )", ")").replace(",)", ")")
    s = s.replace("< ", "<").replace(" >", ">")
    return s


def strip_comments(line):
    return re.sub(r"//.*$", "", line)


def read_until(lines, i, stops):
    """Joins lines from i until one contains a stop character (not inside parentheses)."""
    buf, depth = "", 0
    while i < len(lines):
        line = strip_comments(lines[i])
        for ch in line:
            if ch in "(<[":
                depth += 1
            elif ch in ")>]":
                depth -= 1
            if depth <= 0 and ch in stops:
                cut = buf + line[: line.index(ch)] if False else None
            buf += ch
            if depth <= 0 and ch in stops:
                return buf[:-1], i
        buf += " "
        i += 1
    return buf, i


def items_of(path, items, is_lib):
    lines = open(path, encoding="utf-8").read().split("\n")
    i, stack, depth = 0, [], 0  # stack of (kind, name, depth_at_open)
    pending_derives, deftly, skip_next_fn = [], False, False
    while i < len(lines):
        raw = lines[i]
        line = strip_comments(raw).strip()
        # Skip test modules.
        if line.startswith("#[cfg(test)]") and i + 1 < len(lines) and re.match(
            r"\s*(pub(\(\w+\))? )?mod \w+", lines[i + 1]
        ):
            j, d, opened = i + 1, 0, False
            while j < len(lines):
                d += lines[j].count("{") - lines[j].count("}")
                opened = opened or "{" in lines[j]
                if opened and d <= 0:
                    break
                j += 1
            i = j + 1
            continue
        if line.startswith("#[cfg(test)]"):
            skip_next_fn = True
        if re.match(r'#\[cfg_attr\(feature = "arbitrary", derive\(Arbitrary\)\)\]', line):
            pending_derives.append("Arbitrary")
        if line.startswith("#[educe(Debug)]"):
            pending_derives.append("Debug")
        m = re.match(r"#\[derive\((.*)\)\]", line)
        if m:
            for x in m.group(1).split(","):
                x = norm(x)
                if x in ("Error", "thiserror::Error"):
                    x = "std::error::Error"
                if x and x not in ("Deftly", "Educe"):
                    pending_derives.append(x)
        if "derive_deftly(Handshake)" in line:
            deftly = True
        owner = next((s for s in reversed(stack) if s[0] in ("impl", "trait", "enum", "struct")), None)
        if line.startswith("pub use ") and is_lib and depth == 0:
            decl, i = read_until(lines, i, ";")
            body = norm(decl)[len("pub use ") :]
            m = re.match(r"(.*)\{(.*)\}$", body)
            names = [x.strip() for x in m.group(2).split(",")] if m else [body]
            for n in names:
                if n:
                    n = n.split("::")[-1]
                    items.add("reexport " + (n.split(" as ")[-1] if " as " in n else n))
            i += 1
            continue
        m = re.match(r"pub (struct|enum|trait|type|const) (\w+)", line)
        if m and not line.startswith("pub(crate)"):
            kind, name = m.group(1), m.group(2)
            decl, _ = read_until(lines, i, "{;=" if kind != "const" else "=;")
            d = norm(decl)
            if kind == "struct" and re.match(r"pub struct \w+(<[^{]*>)?\(", d):
                d = d[: d.index("(")]  # tuple struct: fields listed separately
            if owner and owner[0] == "impl" and kind == "const":
                items.add("const %s::%s" % (owner[1], d[len("pub const ") :]))
            else:
                items.add(d[len("pub ") :])
            for dv in pending_derives:
                items.add("impl %s for %s" % (dv, name))
            if kind == "struct" and re.search(r"\(pub ", line):
                items.add("field %s::0: %s" % (name, re.search(r"\(pub ([^)]*)\)", line).group(1)))
            pending_derives = []
        m = re.match(r"pub struct (\w+)", line) or re.match(r"pub enum (\w+)", line)
        if m and deftly and m.group(1) != "$ttype":
            items.add("impl Handshake for " + m.group(1))
            deftly = False
        # caret_int! blocks
        if line.startswith("caret_int!"):
            j = i + 1
            while not re.match(r"\s*pub struct (\w+)\((\w+)\)", lines[j]):
                j += 1
            name, num = re.match(r"\s*pub struct (\w+)\((\w+)\)", lines[j]).groups()
            items.add("struct " + name)
            if any("derive(Arbitrary)" in l for l in lines[i:j]):
                items.add("impl Arbitrary for " + name)
            for t in ("Clone", "Copy", "PartialEq", "Eq", "Display", "Debug",
                      "From<%s>" % num):
                items.add("impl %s for %s" % (t, name))
            items.add("impl From<%s> for %s" % (name, num))
            items.add("fn %s::is_recognized(self) -> bool" % name)
            items.add("fn %s::from_name(name: &str) -> Option<Self>" % name)
            d = 0
            while True:
                d += lines[j].count("{") - lines[j].count("}")
                if "derive(Arbitrary)" in lines[j]:
                    items.add("impl Arbitrary for " + name)
                mm = re.match(r"\s*([A-Z_0-9]+) = ", lines[j])
                if mm:
                    items.add("const %s::%s" % (name, mm.group(1)))
                if d <= 0 and "}" in lines[j]:
                    break
                j += 1
            i = j + 1
            continue
        m = re.match(r"impl(<[^>]*>)? (.*?) for (.*?)\s*(\{|where|$)", line)
        if m and not line.startswith("impl ReadPrecisionSealed") or (m and True):
            pass
        if m:
            trait, ty = norm(m.group(2)), norm(m.group(3))
            base = re.sub(r"<.*", "", trait).split("::")[-1]
            trait = re.sub(r"<'a>$", "", trait)
            if trait == "thiserror::Error":
                trait = "std::error::Error"
            ty = re.sub(r"<.*", "", ty)  # derived and written-out impls name the type alike
            if base not in PRIVATE_TRAITS and "$" not in ty:
                items.add("impl %s for %s" % (trait.split("::")[-1] if "::" in trait and "<" not in trait else trait, ty))
            stack.append(("impl", re.sub(r"<.*", "", ty), depth))
        else:
            m = re.match(r"impl(<[^>]*>)? ([\w:]+)(<.*>)?\s*\{", line)
            if m:
                stack.append(("impl", m.group(2), depth))
            m = re.match(r"pub trait (\w+)", line)
            if m:
                stack.append(("trait", m.group(1), depth))
            m = re.match(r"pub enum (\w+)", line)
            if m:
                stack.append(("enum", m.group(1), depth))
            m = re.match(r"pub struct (\w+)[^(;]*$", line)
            if m and "{" in "".join(lines[i : i + 3]):
                stack.append(("struct", m.group(1), depth))
        # Members.
        if owner and depth == owner[2] + 1:
            if owner[0] == "enum":
                mm = re.match(r"([A-Z]\w*)\s*(\(|\{|,|$)", line)
                if mm and not line.startswith("#"):
                    decl, _ = read_until(lines, i, ",}" if mm.group(2) != "{" else "}")
                    fm = re.search(r"#\[from\] ([\w:]+)", decl)
                    if fm:
                        items.add("impl From<%s> for %s" % (fm.group(1), owner[1]))
                    decl = re.sub(r"#\[[^\]]*\] ?", "", norm(decl)).rstrip(", ")
                    if mm.group(2) == "{":
                        decl += " }"
                    items.add("variant %s::%s" % (owner[1], norm(decl)))
            if owner[0] == "struct":
                mm = re.match(r"pub (\w+): (.*),$", line)
                if mm:
                    items.add("field %s::%s: %s" % (owner[1], mm.group(1), mm.group(2)))
            if owner[0] in ("impl", "trait"):
                mt = re.match(r"type (\w+)(.*);", line)
                if mt and owner[0] == "trait":
                    items.add("type %s::%s%s" % (owner[1], mt.group(1), mt.group(2)))
                mm = re.match(r"(pub )?fn (\w+)", line)
                if mm and skip_next_fn:
                    skip_next_fn = False
                elif mm and (mm.group(1) or owner[0] == "trait"):
                    decl, _ = read_until(lines, i, "{;")
                    d = norm(decl)
                    d = re.sub(r"^pub ", "", d)
                    d = re.sub(r" where .*", "", d)
                    items.add("fn %s::%s" % (owner[1], d[len("fn ") :]))
        # Depth bookkeeping.
        depth += line.count("{") - line.count("}")
        while stack and depth <= stack[-1][2] and "}" in line:
            stack.pop()
        i += 1


def main():
    src = sys.argv[1]
    items = set()
    for root, _, files in os.walk(src):
        for f in sorted(files):
            if f.endswith(".rs"):
                p = os.path.join(root, f)
                items_of(p, items, os.path.relpath(p, src) == "lib.rs")
    for it in sorted(items):
        print(it)


main()
