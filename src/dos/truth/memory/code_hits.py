"""Where a code token occurs in a file's text: as code, or only in comments and docstrings.

Python files are read with :mod:`ast` (so a one-line docstring is a docstring, and
``from a import b`` is matched as the statement, however it is wrapped); other files
line by line, a line that opens with a comment marker being a comment.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import tokenize

from dos.structs import struct

__all__ = ["Hits", "count_hits"]

_COMMENT_LEAD = ("#", "//", "--", ";", "/*", "*", "<!--")
_FROM = re.compile(r"from\s+(\.*)([\w.]*)\s+import\s+(\w+)")
_IMPORT = re.compile(r"import\s+([\w.]+)")


@struct
class Hits:
    code: int
    comment: int


def _pattern(token: str) -> re.Pattern[str]:
    """How ``token`` is found in plain text: as a word, or a statement with any spacing."""
    name = re.sub(r"^(?:def|class)\s+|\(\)$", "", token)
    parts = [re.escape(part) for part in name.split()]
    return re.compile(r"(?<![\w-])" + r"\s+".join(parts) + r"(?![\w-])")


def _docstrings(tree: ast.AST) -> list[ast.Constant]:
    """Every string that stands alone as a statement (docstrings and bare strings)."""
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)]


def _python_code_hits(tree: ast.AST, token: str) -> int:
    loose = {id(node) for node in _docstrings(tree)}
    found = _FROM.fullmatch(token)
    imported = _IMPORT.fullmatch(token)
    name = re.sub(r"^(?:def|class)\s+|\(\)$", "", token).rpartition(".")[2]
    count = 0
    for node in ast.walk(tree):
        if found and isinstance(node, ast.ImportFrom):
            count += (node.level == len(found.group(1)) and node.module == (found.group(2) or None)
                      and any(alias.name == found.group(3) for alias in node.names))
        elif imported and isinstance(node, ast.Import):
            count += any(alias.name == imported.group(1) for alias in node.names)
        elif token.startswith("--") and isinstance(node, ast.Constant) \
                and isinstance(node.value, str) and id(node) not in loose:
            count += bool(_pattern(token).search(node.value))
        elif not (found or imported or token.startswith("--")):
            count += name in _identifiers(node)
    return count


def _identifiers(node: ast.AST) -> tuple[str, ...]:
    if isinstance(node, ast.Name):
        return (node.id,)
    if isinstance(node, ast.Attribute):
        return (node.attr,)
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return (node.name,)
    if isinstance(node, ast.alias):
        return (node.name.rpartition(".")[2], node.asname or "")
    if isinstance(node, ast.keyword | ast.arg):
        return (getattr(node, "arg", None) or "",)
    return ()


def _python_comment_text(text: str, tree: ast.AST) -> str:
    lines = [str(node.value) for node in _docstrings(tree)]
    # ast already parsed it; a tokenizer quirk only loses comment hits
    with contextlib.suppress(tokenize.TokenError, SyntaxError):
        lines += [tok.string for tok in tokenize.generate_tokens(io.StringIO(text).readline)
                  if tok.type == tokenize.COMMENT]
    return "\n".join(lines)


def _plain_hits(text: str, token: str) -> Hits:
    pattern = _pattern(token)
    code = comment = 0
    for line in text.splitlines():
        hits = len(pattern.findall(line))
        if line.lstrip().startswith(_COMMENT_LEAD):
            comment += hits
        else:
            code += hits
    return Hits(code, comment)


def count_hits(text: str, file_name: str, token: str) -> Hits:
    """How often ``token`` occurs in ``text`` (the file ``file_name``) as code, and how
    often only in comments or docstrings."""
    if file_name.endswith((".py", ".pyi")):
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            return _plain_hits(text, token)
        return Hits(_python_code_hits(tree, token),
                    len(_pattern(token).findall(_python_comment_text(text, tree))))
    return _plain_hits(text, token)
