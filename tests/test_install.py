"""`make setup` (python -m javadl.install): the kernel it installs, a second run, and the errors people hit."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from conftest import installed_torch_build, kernel_jdk_home, setup_env, venv_bin
from javadl import jdk
from javadl.files import replace_with
from javadl.java_build import install_jjava_jar
from javadl.kernelspec import KERNEL_NAME
from javadl.project import pom_property
from javadl.steps import InstallError
from javadl.torch_build import unpack_torch_cpu

INSTALL = [sys.executable, "-m", "javadl.install"]


def kernelspecs() -> dict:
    out = subprocess.run(
        [venv_bin("jupyter"), "kernelspec", "list", "--json"], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)["kernelspecs"]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()
    }


def test_javadl_kernel_is_installed_in_the_project_environment():
    spec = kernelspecs()[KERNEL_NAME]
    resource_dir = Path(spec["resource_dir"])
    argv, env = spec["spec"]["argv"], spec["spec"]["env"]

    assert spec["spec"]["display_name"] == "Java (DJL)"
    assert resource_dir.is_relative_to(Path(sys.prefix))  # .venv, not the user's global Jupyter
    assert (Path(argv[0]).parent / "jshell").is_file()  # a JDK's java, by absolute path
    assert argv[-3:] == ["-jar", str(resource_dir / "jjava.jar"), "{connection_file}"]
    assert "-Djava.awt.headless=true" in argv
    assert env["DJL_OFFLINE"] == "true"
    classpath = Path(env["JJAVA_CLASSPATH"].removesuffix("*"))
    jars = [p.name for p in classpath.glob("*.jar")]
    for artifact in ("javadl-kernel-", "javadl-lib-", "pytorch-jni-", "slf4j-jdk14-"):
        assert sum(j.startswith(artifact) for j in jars) == 1, f"{artifact}* in {sorted(jars)}"
    # PyTorch's library once: DJL loads the build from a folder of the kernel's, not from a jar on the classpath
    assert not [j for j in jars if j.startswith("pytorch-native-")], sorted(jars)
    libraries = Path(env["PYTORCH_LIBRARY_PATH"])
    assert libraries.parent == resource_dir and (libraries / "libtorch.so").exists(), libraries
    assert env["PYTORCH_VERSION"] == pom_property("pytorch.version")


def test_a_jar_without_pytorchs_cpu_library_for_this_platform_is_refused_and_the_kernels_copy_kept(tmp_path):
    jar = tmp_path / "pytorch-native-cpu-2.7.1-linux-aarch64.jar"
    with zipfile.ZipFile(jar, "w") as archive:
        archive.writestr("pytorch/cpu/linux-aarch64/libtorch.so", b"")
    folder = tmp_path / "libtorch-cpu"
    folder.mkdir()
    (folder / "libtorch.so").write_bytes(b"unpacked before")

    with pytest.raises(InstallError, match="is not PyTorch's CPU build for linux-x86_64"):
        unpack_torch_cpu(jar, folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([jar.name, folder.name])
    assert (folder / "libtorch.so").read_bytes() == b"unpacked before"


def test_a_folder_is_replaced_whole_or_not_at_all(tmp_path):
    folder = tmp_path / "libtorch-cpu"
    folder.mkdir()
    (folder / "old.so").write_bytes(b"old")

    def fails(partial: Path) -> None:
        partial.mkdir()
        (partial / "new.so").write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        replace_with(folder, fails)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["libtorch-cpu"]
    assert [p.name for p in folder.iterdir()] == ["old.so"]

    replace_with(folder, lambda partial: (partial.mkdir(), (partial / "new.so").write_bytes(b"new")))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["libtorch-cpu"]
    assert [p.name for p in folder.iterdir()] == ["new.so"]


def test_a_jjava_other_than_the_one_the_build_compiles_against_is_refused(tmp_path):
    jar = tmp_path / "jjava.jar"  # as after a change to requirements.txt's jjava pin alone
    with zipfile.ZipFile(jar, "w") as archive:
        archive.writestr("META-INF/maven/org.dflib.jjava/jjava-distro/pom.properties", "version=1.0-a9\n")

    with pytest.raises(InstallError) as refused:
        install_jjava_jar(jar, "mvn", Path(sys.executable))

    assert f"The environment's JJava is 1.0-a9 ({jar}), but pom.xml compiles the kernel against " in str(refused.value)
    assert pom_property("jjava.version") in str(refused.value)


def test_second_setup_changes_nothing():
    kernel_dir = Path(kernelspecs()[KERNEL_NAME]["resource_dir"])
    before = snapshot(kernel_dir)

    result = subprocess.run(INSTALL + ["--venv", sys.prefix], env=setup_env(), capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    build = installed_torch_build().upper()
    for what in (
        "Python packages: up to date",
        "Java build: up to date",
        f"(Java (DJL)) with PyTorch's {build} build: up to date",
    ):
        assert what in result.stdout, result.stdout
    assert snapshot(kernel_dir) == before


def test_setup_removes_jars_an_older_build_left_behind():
    classpath = Path(kernelspecs()[KERNEL_NAME]["resource_dir"]) / "classpath"
    stale = classpath / "api-0.35.0.jar"  # as after an upgrade of DJL: two versions must not mix
    stale.write_bytes(b"PK")

    result = subprocess.run(INSTALL + ["--venv", sys.prefix], env=setup_env(), capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert f"(Java (DJL)) with PyTorch's {installed_torch_build().upper()} build: installed in" in result.stdout
    assert not stale.exists()


def install_fails(env: dict[str, str]) -> str:
    result = subprocess.run(INSTALL + ["--venv", sys.prefix], env=env, capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_a_jre_is_refused_with_the_reason(tmp_path):
    jre = tmp_path / "jre"  # a real Java runtime without the JDK's tools, as a JRE package installs
    subprocess.run(
        [str(kernel_jdk_home() / "bin" / "jlink"), "--add-modules", "java.base", "--output", str(jre)], check=True
    )

    message = install_fails(dict(os.environ, JAVA_HOME=str(jre)))

    assert f"is a JRE, not a JDK: there is no 'jshell' beside {jre / 'bin' / 'java'}" in message
    assert "set JAVA_HOME" in message


def test_missing_java_is_refused_with_what_to_install(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = str(tmp_path)  # nothing here, so no java

    message = install_fails(env)

    assert "No 'java' on PATH" in message and "openjdk-17-jdk" in message


def test_a_java_home_without_java_is_named(tmp_path):
    message = install_fails(dict(os.environ, JAVA_HOME=str(tmp_path)))

    assert f"JAVA_HOME={tmp_path}, but {tmp_path / 'bin' / 'java'} does not exist" in message


def test_a_folder_this_user_cannot_write_is_named_with_its_owner(tmp_path):
    # as after `USER learner` + `WORKDIR` on the classic builder: the project folder belongs to another user
    project = tmp_path / "project"
    project.mkdir(mode=0o755)
    if os.geteuid() == 0:
        os.chown(project, 4242, 4242)
        as_user = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]  # root without its file powers
    else:
        project.chmod(0o555)
        as_user = []
    venv_dir = project / ".venv"

    result = subprocess.run([*as_user, *INSTALL, "--venv", str(venv_dir)], capture_output=True, text=True)

    assert result.returncode == 1, result.stdout + result.stderr
    owner = "uid 4242" if os.geteuid() == 0 else pwd.getpwuid(os.getuid()).pw_name
    assert f"Could not create {venv_dir}: {project} belongs to {owner}, and this user" in result.stderr
    assert "cannot write there" in result.stderr and "python3-venv" not in result.stderr
    assert not venv_dir.exists()


def test_a_jdk_without_its_src_zip_gets_its_packages_src_zip_for_shift_tab():
    sources = Path(kernelspecs()[KERNEL_NAME]["spec"]["env"]["JAVADL_SOURCES"])
    fetched = sources / jdk.JDK_SOURCES_ZIP
    if (kernel_jdk_home() / "lib" / "src.zip").is_file():  # Temurin's: JShell reads the JDK's own
        assert not fetched.exists()
        return
    # Debian's JDK 17 (on this machine): openjdk-17-source's src.zip, without the package
    name, version = jdk.jdk_sources_package(kernel_jdk_home())
    assert name == f"openjdk-{jdk.MIN_JAVA}-source"
    assert (sources / jdk.JDK_SOURCES_STAMP).read_text().split()[0] == name
    with zipfile.ZipFile(fetched) as archive:
        assert "java.base/java/lang/Math.java" in archive.namelist()


def test_a_package_that_cannot_be_fetched_is_named_and_leaves_nothing(tmp_path):
    target = tmp_path / "src.zip"
    temporary = set(Path(tempfile.gettempdir()).glob("javadl-apt-*"))

    with pytest.raises(InstallError, match="'apt-get download javadl-no-such-package' failed"):
        jdk.fetch_package_file("javadl-no-such-package", "1.0", "/src.zip", target)

    assert list(tmp_path.iterdir()) == []
    assert set(Path(tempfile.gettempdir()).glob("javadl-apt-*")) == temporary
