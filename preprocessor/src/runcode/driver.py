# The driver of `mdbook-lemma check --run-code` (see runcode.rs): runs a
# chapter's Python blocks top to bottom in one namespace, one top-level
# statement at a time, and writes a JSON object per line on its stdout.
import ast
import contextlib
import io
import json
import os
import sys
import traceback

_data = json.loads(sys.stdin.read())
sys.stdin = open(os.devnull)
# The records go to the real stdout; anything else written to it (by C
# code, or by `print` outside a statement) goes to stderr.
_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)


def _emit(**record):
    _out.write(json.dumps(record) + "\n")
    _out.flush()


def _numbers(v, depth=0):
    """The numbers of a value at full precision, or None."""
    if depth > 32 or isinstance(v, (bool, str, bytes)):
        return None
    if isinstance(v, (int, float)):
        try:
            return [repr(float(v))]
        except OverflowError:
            return None
    if isinstance(v, (list, tuple)):
        out = []
        for x in v:
            n = _numbers(x, depth + 1)
            if n is None:
                return None
            out.extend(n)
            if len(out) > 100000:
                return None
        return out
    tolist = getattr(v, "tolist", None)
    if callable(tolist):
        try:
            t = tolist()
        except Exception:
            return None
        if t is v:
            return None
        return _numbers(t, depth + 1)
    return None


_globals = {"__name__": "__main__", "__builtins__": __builtins__}


def _run():
    for block in _data["blocks"]:
        index = block["index"]
        name = "<block %d>" % index
        try:
            tree = ast.parse(block["code"], name)
        except SyntaxError as e:
            _emit(kind="error", block=index, line=e.lineno or 1,
                  message="".join(traceback.format_exception_only(type(e), e)).strip().splitlines()[-1])
            return
        for stmt in tree.body:
            _emit(kind="start", block=index, line=stmt.lineno)
            buf = io.StringIO()
            value = None
            is_expr = isinstance(stmt, ast.Expr)
            try:
                with contextlib.redirect_stdout(buf):
                    if is_expr:
                        value = eval(compile(ast.Expression(stmt.value), name, "eval"), _globals)
                    else:
                        exec(compile(ast.Module([stmt], []), name, "exec"), _globals)
            except BaseException as e:  # SystemExit and KeyboardInterrupt stop the chapter too
                line = stmt.lineno
                origin = None
                for frame in traceback.extract_tb(e.__traceback__):
                    if frame.filename == name:
                        line = frame.lineno
                    if frame.filename.startswith("<block "):
                        origin = [int(frame.filename[7:-1]), frame.lineno]
                lines = "".join(traceback.format_exception_only(type(e), e)).strip().splitlines()
                _emit(kind="error", block=index, line=line, origin=origin,
                      message=lines[-1] if lines else type(e).__name__)
                return
            record = {"kind": "result", "block": index, "end": stmt.end_lineno, "expr": is_expr,
                      "printed": buf.getvalue(), "repr": None, "values": None}
            if value is not None:
                try:
                    record["repr"] = repr(value)
                except Exception as e:
                    record["repr"] = "<repr failed: %s>" % type(e).__name__
                record["values"] = _numbers(value)
            _emit(**record)
    _emit(kind="done")


_run()
_out.flush()
