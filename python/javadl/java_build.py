"""The Maven build: Maven itself, the JJava jar the kernel extension compiles against, and `mvn package` when the
sources changed."""

from __future__ import annotations

import filecmp
import hashlib
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from javadl.files import is_stamped, write_if_changed
from javadl.kernelspec import AGENT_JAR
from javadl.project import ROOT, display, pom_property
from javadl.steps import InstallError, run, step

MAVEN_INPUTS = [
    "pom.xml", "lib/pom.xml", "kernel/pom.xml", "agent/pom.xml", "lib/src/main", "kernel/src/main", "agent/src/main",
]  # fmt: skip
BUILD_STAMP = ROOT / "kernel" / "target" / "javadl-build.sha256"

# The kernel extension compiles against the JJava that runs it: the jar of the `jjava` wheel (requirements.txt),
# installed into the local Maven repository under these coordinates and the version it was built as, which must be
# pom.xml's jjava.version. So a JJava upgrade that breaks the extension fails the build, not a learner's session.
JJAVA_GROUP, JJAVA_ARTIFACT = "org.dflib.jjava", "jjava"
JJAVA_VERSION_FILE = "META-INF/maven/org.dflib.jjava/jjava-distro/pom.properties"
JJAVA_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>{group}</groupId>
  <artifactId>{artifact}</artifactId>
  <version>{version}</version>
  <description>jjava.jar of the jjava wheel: JJava's kernel with its libraries shaded in</description>
</project>
"""


def find_maven() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise InstallError("No 'mvn' on PATH. Install Maven 3.8+ (Debian/Ubuntu: 'sudo apt install maven').")
    return mvn


def jjava_jar(env_dir: Path) -> Path:
    """The kernel jar the `jjava` wheel installed into the environment."""
    jar = env_dir / "share" / "jupyter" / "kernels" / "java" / "jjava.jar"
    if not jar.is_file():
        raise InstallError(
            f"{jar} is missing: the 'jjava' package did not install its kernel. "
            f"Run '{display(env_dir)}/bin/pip install --force-reinstall -r requirements.txt'."
        )
    return jar


def jar_version(jar: Path) -> str:
    """The Maven version JJava's jar was built as ("1.0-a8" for the wheel 1.0a8)."""
    try:
        with zipfile.ZipFile(jar) as archive:
            properties = archive.read(JJAVA_VERSION_FILE).decode()
        return dict(line.split("=", 1) for line in properties.splitlines() if "=" in line)["version"].strip()
    except (KeyError, zipfile.BadZipFile) as e:
        raise InstallError(
            f"{jar} is not JJava's kernel jar as the jjava package ships it ({e}): reinstall it with "
            "'pip install --force-reinstall -r requirements.txt' in the environment."
        ) from None


def install_jjava_jar(jar: Path, mvn: str, java: Path) -> None:
    """Puts the environment's JJava jar into the local Maven repository, where kernel/pom.xml finds it."""
    version, wanted = jar_version(jar), pom_property("jjava.version")
    if version != wanted:
        raise InstallError(
            f"The environment's JJava is {version} ({jar}), but pom.xml compiles the kernel against {wanted}. "
            "requirements.txt's jjava pin and pom.xml's jjava.version name one release: make them agree."
        )
    # Maven's default local repository; where settings.xml moves it, the jar is installed again on each setup
    local = Path.home() / ".m2" / "repository" / JJAVA_GROUP.replace(".", "/") / JJAVA_ARTIFACT / version
    installed = local / f"{JJAVA_ARTIFACT}-{version}.jar"
    if installed.is_file() and filecmp.cmp(installed, jar, shallow=False):
        return
    step(f"JJava {version}'s jar into the local Maven repository, for the kernel extension to compile against")
    with tempfile.TemporaryDirectory() as work:
        # a pom of its own: the jar carries the poms of the modules it was shaded from, whose parent is not published
        pom = Path(work) / "pom.xml"
        pom.write_text(JJAVA_POM.format(group=JJAVA_GROUP, artifact=JJAVA_ARTIFACT, version=version))
        run(
            [
                mvn,
                "--batch-mode",
                "--quiet",
                "-Dstyle.color=never",
                "--non-recursive",
                "install:install-file",
                f"-Dfile={jar}",
                f"-DpomFile={pom}",
            ],  # fmt: skip
            cwd=ROOT,  # the root pom.xml pins the install plugin's version
            env=dict(os.environ, JAVA_HOME=str(java.parent.parent)),
        )


def inputs_digest(paths: list[str], java: Path, jars: list[Path]) -> str:
    """A digest of the build's sources, of the JDK that builds them and of the jars it compiles against."""
    digest = hashlib.sha256(str(java).encode())
    for name in paths:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    for jar in jars:
        digest.update(jar.read_bytes())
    return digest.hexdigest()


def build_java(java: Path, mvn: str, env_dir: Path) -> tuple[Path, Path, Path]:
    """Runs `mvn package` when the sources changed; returns the folders with the kernel's runtime classpath, with
    the cell-stop agent (and ASM beside it) and with the sources jars whose Javadoc Shift+Tab shows."""
    classpath = ROOT / "kernel" / "target" / "classpath"
    sources = ROOT / "kernel" / "target" / "sources"
    agent = ROOT / "agent" / "target" / "agent"
    jjava = jjava_jar(env_dir)
    install_jjava_jar(jjava, mvn, java)
    digest = inputs_digest(MAVEN_INPUTS, java, [jjava])
    built = classpath.is_dir() and sources.is_dir() and (agent / AGENT_JAR).is_file()
    if built and is_stamped(BUILD_STAMP, digest):
        step("Java build: up to date")
        return classpath, agent, sources
    step("Building the Java modules with Maven (first time: downloads about 200 MB of jars)")
    for folder in (classpath, agent, sources):
        shutil.rmtree(folder, ignore_errors=True)  # so that no jar of an older version lingers
    env = dict(os.environ, JAVA_HOME=str(java.parent.parent))
    run([mvn, "--batch-mode", "--quiet", "-Dstyle.color=never", "-DskipTests", "package"], cwd=ROOT, env=env)
    write_if_changed(BUILD_STAMP, digest)
    return classpath, agent, sources
