"""JavaDL Notebooks' Python: the installer of the `javadl` kernel (`python -m javadl.install`, which `make setup`
runs) and the tools that drive the installed kernel.

The installer's modules (install, steps, files, project, jdk, environment, java_build, torch_build, kernelspec,
class_archive's stamps, tensorboard_proxy) use the standard library only. class_archive's recording session, site and
export_notebook need the packages of requirements.txt.
"""
