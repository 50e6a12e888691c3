"""The author's side of a run: what may be run (parameter names, source size) and how the
engine's reports are told in the author's terms (lines and columns of their source, stacks
with only their frames, messages without the wrapper's tokens)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from modules.sandbox.errors import ScriptError
from modules.sandbox.limits import ScriptLimits
from modules.sandbox.worker import FIRST_SOURCE_LINE

MAX_PARAMS = 256
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]{0,254}")
# Reserved words of strict-mode code, and the two names strict code may not bind.
_RESERVED = frozenset({
    "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default",
    "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function",
    "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this",
    "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static",
    "implements", "interface", "package", "private", "protected", "public", "eval", "arguments",
})
# Line terminators as the engine counts them.
_LINES = re.compile(r"\r\n|[\n\r\u2028\u2029]")
_FRAME = re.compile(r"^\s*at (?:(?P<name>.*) \((?P<loc>[^()]*)\)|(?P<bare><input>:\d+(?::\d+)?))$")
_LOCATION = re.compile(r"^<input>:(\d+)(?::(\d+))?$")
_MAX_FRAMES = 20


def check_names(names: Sequence[str]) -> ScriptError | None:
    if len(names) > MAX_PARAMS:
        return ScriptError("input", f"a script takes at most {MAX_PARAMS} parameters")
    seen: set[str] = set()
    for name in names:
        if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name) or name in _RESERVED:
            return ScriptError("input", f"{name!r} cannot be a parameter name: a name is a "
                                        "JavaScript identifier (letters, digits, _ and $, not "
                                        "a reserved word)")
        if name in seen:
            return ScriptError("input", f"the parameter {name!r} is given twice")
        seen.add(name)
    return None


def check_source(source: str, limits: ScriptLimits) -> ScriptError | None:
    if not isinstance(source, str):
        return ScriptError("input", "the script's source must be text")
    try:
        size = len(source.encode("utf-8"))
    except UnicodeEncodeError:
        return ScriptError("input", "the script's source is not valid Unicode (a lone surrogate)")
    if size > limits.source_bytes:
        return ScriptError("input", f"the script is {size} bytes long, more than its limit of "
                                    f"{limits.source_bytes} bytes")
    if "\0" in source:
        return ScriptError("input", "the script's source contains a NUL character")
    return None


def _lines(source: str) -> list[str]:
    return _LINES.split(source)


def _position(source: str, line: int, byte_column: int | None) -> tuple[int | None, int | None]:
    """The engine's line (of the wrapped text) and column (UTF-8 bytes, 1-based) as the
    author's line and code-point column; None when the position is not in their source."""
    lines = _lines(source)
    author_line = line - FIRST_SOURCE_LINE + 1
    if not 1 <= author_line <= len(lines):
        return None, None
    if byte_column is None:
        return author_line, None
    text = lines[author_line - 1].encode("utf-8")[:max(byte_column - 1, 0)]
    return author_line, len(text.decode("utf-8", "ignore")) + 1


def _end_of(source: str) -> tuple[int, int]:
    lines = _lines(source)
    return len(lines), len(lines[-1]) + 1


def _frames(stack: str) -> list[tuple[str | None, int | None, int | None]]:
    """(function name, engine line, engine column) of each frame; lines are None for native
    frames; frames that do not parse are dropped."""
    frames: list[tuple[str | None, int | None, int | None]] = []
    for text in stack.splitlines():
        match = _FRAME.match(text)
        if not match:
            continue
        loc = match.group("loc") or match.group("bare")
        if loc == "native":
            frames.append((match.group("name"), None, None))
            continue
        where = _LOCATION.match(loc or "")
        if where:
            column = int(where.group(2)) if where.group(2) else None
            frames.append((match.group("name"), int(where.group(1)), column))
    return frames


def author_stack(source: str, stack: str) -> tuple[str | None, int | None, int | None]:
    """The frames of the author's code, as text, and the position of the innermost one.

    Frames on line 1 are the driver's (it is compiled as one line) or the wrapper's; native
    frames are kept when the author's code called them."""
    frames = _frames(stack)
    kept: list[str] = []
    first: tuple[int | None, int | None] = (None, None)
    for index, (name, line, column) in enumerate(frames):
        if line is None:
            caller = next((f for f in frames[index + 1:] if f[1] is not None), None)
            if caller is not None and caller[1] is not None and caller[1] >= FIRST_SOURCE_LINE:
                kept.append(f"    at {name} (native)")
            continue
        if line < FIRST_SOURCE_LINE:
            continue
        author_line, author_column = _position(source, line, column)
        if author_line is None:
            continue
        if first == (None, None):
            first = (author_line, author_column)
        where = f"script:{author_line}" + (f":{author_column}" if author_column else "")
        kept.append(f"    at {name} ({where})" if name else f"    at {where}")
    text = "\n".join(kept[:_MAX_FRAMES]) or None
    return text, first[0], first[1]


def syntax_error(source: str, name: str, message: str, stack: str) -> ScriptError:
    """A compilation failure. Errors past the author's last line are about the end of their
    source (something left open), whatever token of the wrapper the engine names."""
    if name == "RangeError" or "stack overflow" in message:
        return ScriptError("syntax", "the script is nested too deeply to compile")
    if name == "InternalError" and "out of memory" in message:
        return ScriptError("memory", "the script is too large to compile within its memory limit")
    frames = _frames(stack)
    line = column = None
    if frames and frames[0][1] is not None:
        line, column = _position(source, frames[0][1], frames[0][2])
    if line is None:
        line, column = _end_of(source)
        if "label not found" in message:
            message = "a closing brace '}' has no opening brace to match"
        else:
            message = ("unexpected end of the script: a bracket, string, comment or "
                       "expression is not finished")
    text = f"SyntaxError: {message} (line {line}, column {column})"
    return ScriptError("syntax", text, line=line, column=column)


def _mib(size: int) -> str:
    return f"{size / 2**20:g} MiB"


def error_from_reply(phase: str, error: Mapping[str, Any], source: str,
                     limits: ScriptLimits) -> ScriptError:
    """The ScriptError for a worker's report of a failed run (shape already checked)."""
    thrown, name, message, stack = (error["thrown"], error["name"], error["message"],
                                    error["stack"])
    if phase == "syntax":
        return syntax_error(source, name, message, stack)
    if phase == "input":
        return ScriptError("input", "the parameters could not be read as JSON")
    frames, line, column = author_stack(source, stack)
    # When memory runs out while the engine builds the error, what is thrown is null; a script
    # that never says "throw" cannot have thrown null itself.
    out_of_memory = ((name == "InternalError" and ("out of memory" in message
                                                   or "string too long" in message))
                     or (thrown in ("null", "engine") and message == "null"
                         and "throw" not in source))
    if phase == "engine" and name == "InternalError" and message == "interrupted":
        return ScriptError("timeout", f"the script ran longer than its limit of "
                                      f"{limits.time_ms} ms" + _at(line),
                           line=line, column=column, stack=frames)
    if out_of_memory:
        return ScriptError("memory", f"the script used more memory than its limit of "
                                     f"{_mib(limits.memory_bytes)}" + _at(line),
                           line=line, column=column, stack=frames)
    if name == "RangeError" and "call stack size exceeded" in message:
        if phase == "output":
            return ScriptError("output", "the result is nested too deeply to convert to JSON")
        return ScriptError("stack", "the script nested calls too deeply (maximum call stack "
                                    "size exceeded)" + _at(line),
                           line=line, column=column, stack=frames)
    if phase == "output":
        if thrown == "size":
            return ScriptError("output", f"the result is larger than its limit of "
                                         f"{limits.output_bytes} bytes of JSON")
        if thrown == "output":
            return ScriptError("output", message)
        reason = f"{name}: {message}" if name else message
        return ScriptError("output", f"the result cannot be converted to JSON ({reason})",
                           line=line, column=column, stack=frames)
    if phase == "internal":
        return ScriptError("killed", "the sandbox failed to run the script")
    if thrown == "error":
        text = f"{name}: {message}" if name and message else (name or message)
    elif thrown == "null":
        text = f"the script threw {message}"
    else:
        text = f"the script threw {message}"
    return ScriptError("runtime", text + _at(line), line=line, column=column, stack=frames)


def _at(line: int | None) -> str:
    return f" (line {line})" if line else ""
