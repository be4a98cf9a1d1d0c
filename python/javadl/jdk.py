"""The JDK the kernel runs on: finding it, its feature version, what its modules export to the kernel, and the
sources of its Javadoc where the JDK came without them."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import urllib.parse
from pathlib import Path

from javadl.files import replace_with, write_if_changed
from javadl.project import display, pom_property
from javadl.steps import InstallError, run, step

# The Java the code is compiled for (pom.xml's maven.compiler.release): the oldest JDK the kernel runs on
MIN_JAVA = int(pom_property("maven.compiler.release"))
JDK_PACKAGE = f"openjdk-{MIN_JAVA}-jdk-headless"  # Debian's and Ubuntu's package of that JDK

# The package of JShell's Javadoc formatter, in the module jdk.compiler up to Java 17 and jdk.jshell in Java 25:
# exported to the kernel, it lays out Shift+Tab's Javadoc as the jshell tool does
JAVADOC_FORMATTER_PACKAGE = "jdk.internal.shellsupport.doc"


def find_jdk() -> tuple[Path, int]:
    """Returns the `java` of a JDK of MIN_JAVA or newer (from JAVA_HOME if set, else from PATH, symlinks resolved)
    and its feature version."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        java = Path(java_home) / "bin" / "java"
        origin = f"JAVA_HOME={java_home}"
        if not java.is_file():
            raise InstallError(
                f"{origin}, but {java} does not exist. Point JAVA_HOME at a JDK {MIN_JAVA}+ or unset it."
            )
    else:
        found = shutil.which("java")
        if not found:
            raise InstallError(
                f"No 'java' on PATH. Install a JDK {MIN_JAVA} or newer (Debian/Ubuntu: "
                f"'sudo apt install {JDK_PACKAGE}') or set JAVA_HOME."
            )
        java = Path(found)
        origin = f"'java' on PATH ({found})"
    java = java.resolve()

    version = java_feature_version(java)
    if version < MIN_JAVA:
        raise InstallError(
            f"{origin} is Java {version}; the kernel needs Java {MIN_JAVA} or newer. "
            "Install a newer JDK and put it first on PATH, or set JAVA_HOME to it."
        )
    if not (java.parent / "jshell").is_file():
        raise InstallError(
            f"{origin} is a JRE, not a JDK: there is no 'jshell' beside {java}. "
            "The Java kernel runs on JShell, which only a JDK has (Debian/Ubuntu: "
            f"'sudo apt install {JDK_PACKAGE}'); then set JAVA_HOME to that JDK."
        )
    return java, version


@functools.cache
def java_feature_version(java: Path) -> int:
    """The feature version of `java`: 17 for 17.0.15, 8 for 1.8."""
    out = run([str(java), "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    match = re.search(r"java\.specification\.version = (\d+)(?:\.(\d+))?", out)
    if not match:
        raise InstallError(f"Could not tell the version of {java}; 'java -version' said:\n{out}")
    major, minor = match.groups()
    return int(minor) if major == "1" else int(major)


@functools.cache  # the kernelspec asks for it up to three times an install
def javadoc_formatter_export(java: Path) -> list[str]:
    """The --add-exports of JAVADOC_FORMATTER_PACKAGE from the module of this JDK that holds it; none where no module
    does (the kernel then shows Javadoc as written)."""
    holds = re.compile(rf"^(?:contains|qualified exports) {re.escape(JAVADOC_FORMATTER_PACKAGE)}(?:\s|$)", re.M)
    for module in ("jdk.jshell", "jdk.compiler"):
        described = run([str(java), "--describe-module", module], capture_output=True, text=True).stdout
        if holds.search(described):
            return ["--add-exports", f"{module}/{JAVADOC_FORMATTER_PACKAGE}=ALL-UNNAMED"]
    return []


# JShell reads the JDK's Javadoc from <java.home>/lib/src.zip. Debian and Ubuntu ship it in a package of its own,
# openjdk-N-source, which depends on the desktop JDK (GTK, Mesa and more: about 300 MB that a kernel never uses). So
# the installer fetches that one package's file, as the user who installs (apt with lists in a temporary folder of
# its own, no root), and puts its src.zip (about 50 MB) into the kernel's sources folder, where the kernel gives it
# to JShell (InspectHelp). The version is the JDK's own where the archive still has it, else the newest there: the
# Javadoc of a Java release does not change in its updates.
JDK_SOURCES_ZIP = "jdk-src.zip"
JDK_SOURCES_STAMP = JDK_SOURCES_ZIP + ".package"  # "<package> <version>" of the zip
JDK_SOURCES_FILES = frozenset({JDK_SOURCES_ZIP, JDK_SOURCES_STAMP})


def jdk_sources_package(java_home: Path) -> tuple[str, str] | None:
    """The package with the sources of the Debian or Ubuntu JDK at `java_home`, and the JDK's version; None for a
    JDK that no Debian package installed."""
    if not shutil.which("dpkg-query"):
        return None
    owner = subprocess.run(
        ["dpkg-query", "--search", str(java_home.resolve() / "lib" / "modules")], capture_output=True, text=True
    )
    if owner.returncode != 0:
        return None
    package = owner.stdout.split(":", 1)[0]  # "openjdk-17-jre-headless:amd64: /usr/lib/jvm/..."
    source, version = run(
        ["dpkg-query", "--show", "--showformat=${source:Package} ${Version}", package], capture_output=True, text=True
    ).stdout.split()
    return f"{source}-source", version


def ensure_jdk_sources(java: Path, folder: Path) -> bool:
    """Gives the kernel's sources `folder` the JDK's src.zip where the JDK has none of its own, and removes it where
    the JDK has one; returns whether the folder changed. Without it the kernel works, and Shift+Tab shows the JDK's
    methods without their Javadoc: a failed fetch says so and does not stop the install."""
    java_home = java.parent.parent
    target, stamp = folder / JDK_SOURCES_ZIP, folder / JDK_SOURCES_STAMP
    if (java_home / "lib" / "src.zip").is_file():
        stale = [path for path in (target, stamp) if path.exists()]
        for path in stale:
            path.unlink()
        return bool(stale)
    package = jdk_sources_package(java_home)
    if package is None:
        step(
            f"The JDK's Javadoc: {java_home} has no lib/src.zip, and no Debian package installed this JDK, so "
            "Shift+Tab shows its methods without Javadoc (a JDK with its src.zip, such as Temurin's, has it)"
        )
        return False
    name, version = package
    if target.is_file() and stamp.is_file() and stamp.read_text().split()[0] == name:
        step(f"The JDK's sources: up to date in {display(target)}")
        return False
    step(f"Fetching the JDK's sources for Shift+Tab's Javadoc ({name}'s src.zip, about 50 MB, with apt as this user)")
    try:
        fetched = fetch_package_file(name, version, "/src.zip", target)
    except (InstallError, OSError, tarfile.TarError) as e:
        print(f"    not fetched, so Shift+Tab shows the JDK's methods without Javadoc: {e}")
        return False
    write_if_changed(stamp, f"{name} {fetched}\n")
    newer = "" if fetched == version else f" (the JDK is {version}, which the archive no longer has)"
    print(f"    {display(target)}: {name} {fetched}{newer}")
    return True


def fetch_package_file(name: str, version: str, member_suffix: str, target: Path) -> str:
    """Writes the file of Debian package `name` whose path ends in `member_suffix` to `target` (version `version`
    where the archive has it, else its newest), without installing the package; returns the version fetched.
    Nothing is left behind on failure: the download and apt's lists go to a temporary folder, the file to a
    temporary name until it is whole."""
    if not shutil.which("apt-get") or not shutil.which("dpkg-deb"):
        raise InstallError("this system has no apt-get and dpkg-deb")
    with tempfile.TemporaryDirectory(prefix="javadl-apt-") as work:
        lists, cache = Path(work) / "lists", Path(work) / "cache"
        (lists / "partial").mkdir(parents=True)
        (cache / "archives" / "partial").mkdir(parents=True)
        apt = [
            "apt-get", "--quiet", "--option", f"Dir::State::Lists={lists}", "--option", f"Dir::Cache={cache}",
            "--option", "Debug::NoLocking=1",
        ]  # fmt: skip
        if os.getuid() == 0:  # else apt downloads as its own user, which may not write to this folder
            apt += ["--option", "APT::Sandbox::User=root"]
        run([*apt, "update"], capture_output=True, text=True, cwd=work)
        for wanted in (f"{name}={version}", name):
            download = subprocess.run([*apt, "download", wanted], capture_output=True, text=True, cwd=work)
            if download.returncode == 0:
                break
        else:
            raise InstallError(f"'apt-get download {name}' failed: {download.stderr.strip()}")
        deb = next(Path(work).glob("*.deb"))
        fetched = urllib.parse.unquote(deb.name.split("_")[1])  # name_version_arch.deb, ':' written as %3a
        replace_with(target, lambda partial: extract_member(deb, member_suffix, partial))
        return fetched


def extract_member(deb: Path, member_suffix: str, target: Path) -> None:
    """Writes the file of the package `deb` whose path ends in `member_suffix` to `target`."""
    unpack = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    try:
        with tarfile.open(fileobj=unpack.stdout, mode="r|") as archive:
            member = next((m for m in archive if m.isfile() and m.name.endswith(member_suffix)), None)
            if member is None:
                raise InstallError(f"{deb.name} has no file ending in {member_suffix}")
            with archive.extractfile(member) as source, open(target, "wb") as copy:
                shutil.copyfileobj(source, copy)
    finally:
        unpack.stdout.close()
        unpack.wait()
