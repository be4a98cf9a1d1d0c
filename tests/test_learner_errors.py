"""What a learner's mistakes show through the real kernel: endless recursion collapsed as Python collapses it, and
the names the cell wrote where JShell's messages name its wrapper classes (REPL.$JShell$12.s)."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import KernelSession, installed_kernelspec, kernel_jdk_home, traceback_text

NOTE = re.compile(r"^\tat \.\.\. \(the (?:(\d+) lines|line) above repeated (\d+) more times?( before the JVM cut)?")


@pytest.fixture(scope="module")
def session():
    session = KernelSession()
    yield session
    session.close()


def jvm_trace_depth() -> int:
    """How many frames the kernel's JVM keeps in a trace: its java's -XX:MaxJavaStackTraceDepth, as that java
    prints it, unless kernel.json sets it."""
    argv = installed_kernelspec()["argv"]
    assert not any("MaxJavaStackTraceDepth" in a for a in argv), argv
    flags = subprocess.run(
        [str(kernel_jdk_home() / "bin" / "java"), "-XX:+PrintFlagsFinal", "-version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(re.search(r"\bMaxJavaStackTraceDepth\s*=\s*(\d+)", flags).group(1))


def error_lines(session: KernelSession, cell: str) -> tuple[dict, list[str]]:
    """The error a cell that must fail showed, and its traceback's lines without the terminal's colours."""
    status, outputs = session.run(cell)
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert status == "error" and len(errors) == 1, outputs
    return errors[0], traceback_text(errors[0]).splitlines()


def repeats(lines: list[str]) -> tuple[int, int, bool]:
    """The one repetition note's cycle length, how many more times it says, and whether it says the JVM cut."""
    notes = [m for m in map(NOTE.match, lines) if m]
    assert len(notes) == 1, "\n".join(lines)
    cycle, more, cut = notes[0].groups()
    return int(cycle or 1), int(more), cut is not None


def test_endless_recursion_shows_the_method_a_few_times_and_how_often_it_repeated(session):
    session.value("int down(int n) { return down(n - 1) + 1; }")
    error, lines = error_lines(session, "down(5)")

    assert len(lines) < 40, "\n".join(lines)
    assert lines[0].startswith("java.lang.StackOverflowError")
    shown = [line for line in lines if re.fullmatch(r"\tat \.down\(#\d+:1\)", line)]
    assert 1 <= len(shown) <= 5, "\n".join(lines)
    cycle, more, cut = repeats(lines)
    # every frame the JVM kept is one of down's (those shown and those the note counts), but where the stack overflowed
    # inside the agent's stop check at the start of down (seen on JDK 25): the check's frame and what it called, the
    # innermost two or three, are left out
    assert (cycle, cut) == (1, True) and jvm_trace_depth() - 3 <= len(shown) + more <= jvm_trace_depth()
    assert "io.javadl.agent" not in "\n".join(lines)


def test_mutual_recursion_shows_the_cycle_of_both_methods(session):
    session.value("boolean isEven(int n) { return isOdd(n - 1); }\nboolean isOdd(int n) { return isEven(n - 1); }")
    error, lines = error_lines(session, "isEven(7)")

    assert len(lines) < 40, "\n".join(lines)
    shown = [line for line in lines[1:] if re.fullmatch(r"\tat \.is(Even|Odd)\(#\d+:1\)", line)]
    cycle, more, cut = repeats(lines)
    # as above: the innermost frames may be the agent's stop check's, left out
    assert (cycle, cut) == (2, True), "\n".join(lines)
    assert jvm_trace_depth() - 3 <= len(shown) + cycle * more <= jvm_trace_depth(), "\n".join(lines)
    assert "io.javadl.agent" not in "\n".join(lines)


def test_a_recursion_that_fails_at_its_end_keeps_the_cells_call(session):
    session.value("int countdown(int n) { return n == 0 ? 1 / n : countdown(n - 1); }")
    error, lines = error_lines(session, "countdown(30)")

    assert lines[0] == "java.lang.ArithmeticException: / by zero"
    shown = [line for line in lines if re.fullmatch(r"\tat \.countdown\(#\d+:1\)", line)]
    cycle, more, cut = repeats(lines)
    assert (cycle, len(shown) + more, cut) == (1, 31, False), "\n".join(lines)  # countdown(30) down to countdown(0)
    assert re.fullmatch(r"\tat \.\(#\d+:1\)", lines[-1]), "\n".join(lines)


def test_a_null_variables_message_names_it_as_the_cell_did(session):
    session.value("String s = null;")
    error, lines = error_lines(session, "s.length()")

    assert lines[0] == 'java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null'
    assert error["evalue"].endswith('because "s" is null'), error["evalue"]
    assert "$JShell" not in error["evalue"] + "\n".join(lines)


def test_a_cells_class_and_method_are_named_as_the_cell_did(session):
    session.value("class Point { int x; int norm() { return x; } }\nPoint p = null;\nString nothing() { return null; }")

    assert error_lines(session, "p.norm()")[1][0].endswith('Cannot invoke "Point.norm()" because "p" is null')
    assert error_lines(session, "nothing().trim()")[1][0].endswith('because the return value of "nothing()" is null')
    error, lines = error_lines(session, "class Oops extends RuntimeException {}\nthrow new Oops();")
    assert lines[0].startswith("Oops"), "\n".join(lines)
