"""JavaDL Notebooks' Python: the installer of the `javadl` kernel (`python -m javadl.install`, which `make setup`
runs) and the tools that drive the installed kernel.

The installer's modules (install, steps, files, project, jdk, environment, java_build, torch_build, kernelspec,
class_archive's stamps, tensorboard_proxy, busy_kernels' enabling) and course_update, which the image's start script
runs with any python3, use the standard library only. class_archive's recording session, site and
export_notebook need the packages of requirements.txt.
"""

import sys

if sys.version_info < (3, 10):  # noqa: UP036 (make setup runs the installer with the system's python3, any version)
    sys.exit(f"This is Python {sys.version.split()[0]}; JavaDL Notebooks' tools need Python 3.10 or newer.")
