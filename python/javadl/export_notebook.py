"""`make export`: writes notebooks as programs, each in OUT/<notebook>/: a JShell script (<notebook>.jsh) with
`jshell.sh`, which runs it with jshell on the installed javadl kernel's class path and settings, and a Maven project
(pom.xml, src/main/java/notebook/<Name>.java). io.javadl.kernel.export.NotebookExport writes the script and the
project, on the kernel's class path; this writes jshell.sh, which knows the kernel. docs/programs.md shows the way.

Exit status: 0 when every notebook was exported, 1 when one could not be (the message says which and why).
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
from pathlib import Path

from javadl.kernelspec import KernelSpec, kernelspec_dir

EXPORTER = "io.javadl.kernel.export.NotebookExport"
# the kernel's own machinery, which a script's JVM does without: the interrupt agent and JJava's reflection
KERNEL_ONLY_OPTIONS = ("-javaagent:",)
KERNEL_ONLY_OPTION_PAIRS = ("--add-opens", "--add-exports")
KERNEL_ONLY_ENV = ("JJAVA_", "JAVADL_SOURCES")


def script_jvm_options(java: KernelSpec) -> list[str]:
    """The kernel's JVM options that shape what cells compute and print (heap, headless AWT, encodings, native
    access), for jshell's execution JVM."""
    options, skip = [], False
    for option in java.jvm_options:
        if skip:
            skip = False
        elif option in KERNEL_ONLY_OPTION_PAIRS:
            skip = True
        elif not option.startswith(KERNEL_ONLY_OPTIONS):
            options.append(option)
    return options


def jshell_runner(java: KernelSpec, kernel: Path, script: str) -> str:
    """jshell.sh: runs `script` with jshell on the kernel's class path, environment and JVM options."""
    jshell = Path(java.java).with_name("jshell")
    env = {k: v for k, v in java.kernel_env.items() if not k.startswith(KERNEL_ONLY_ENV)}
    remote = " ".join(shlex.quote("-R" + option) for option in script_jvm_options(java))
    return f"""#!/bin/sh
# Runs {script} with jshell on the javadl kernel's class path and settings, as the kernel runs the notebook.
# Written by `make export` for the kernel in {kernel};
# export again after `make setup` changes it.
# jshell reports a snippet that fails and goes on with the next one.
set -e
cd "$(dirname "$0")"
{chr(10).join(f"export {k}={shlex.quote(v)}" for k, v in env.items())}
class_path={shlex.quote(java.classpath)}
if [ -f magics/pom.xml ]; then
    # the notebook's %maven artifacts, with what they depend on, resolved by Maven
    mvn --quiet --batch-mode -f magics/pom.xml dependency:build-classpath -Dmdep.outputFile=classpath.txt
    class_path="$class_path:$(cat magics/classpath.txt)"
fi
exec {shlex.quote(str(jshell))} --no-startup --feedback silent --class-path "$class_path" {remote} {shlex.quote(script)}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="the .ipynb files")
    parser.add_argument("--out", type=Path, default=Path("build/export"), help="where the exports go")
    parser.add_argument(
        "--env",
        type=Path,
        default=Path(sys.prefix),
        help="the environment the javadl kernel is installed in (default: this Python's)",
    )
    args = parser.parse_args()
    kernel = kernelspec_dir(args.env)
    java = KernelSpec.read(kernel)
    exported = subprocess.run(
        java.command(EXPORTER, "--out", str(args.out), *map(str, args.notebooks)),
        env=java.env,
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in exported.stdout.splitlines():  # "NOTEBOOK -> FOLDER" for each notebook exported
        print(line, flush=True)
        if " -> " not in line:
            continue
        folder = Path(line.split(" -> ")[1])
        runner = folder / "jshell.sh"
        runner.write_text(jshell_runner(java, kernel, f"{folder.name}.jsh"))
        runner.chmod(0o755)
    if exported.returncode == 0:
        print(
            f"Run one: cd {args.out}/<notebook>, then ./jshell.sh, or mvn compile exec:java after `mvn install "
            f"-DskipTests -pl lib -am` in this checkout (docs/programs.md)"
        )
    return exported.returncode


if __name__ == "__main__":
    sys.exit(main())
