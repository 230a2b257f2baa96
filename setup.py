"""Builds the extension _devops_monitor with the project's CMake (the same flags as `make
build`, tests off) and puts it in the package. Metadata is in pyproject.toml. Needs the
Debian packages the Makefile lists (cmake, a compiler, the libraries, pybind11-dev,
python3-dev); downloads nothing."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        build_dir = Path(self.build_temp).resolve() / "cmake"
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        subprocess.run(
            ["cmake", "-S", str(ROOT), "-B", str(build_dir), *generator,
             "-DCMAKE_BUILD_TYPE=MinSizeRel", "-DCMAKE_UNITY_BUILD=ON", "-DCMAKE_UNITY_BUILD_BATCH_SIZE=16",
             "-DDEVOPS_MONITOR_BUILD_TESTS=OFF", "-DDEVOPS_MONITOR_PYTHON_PACKAGE=ON",
             f"-DPython3_EXECUTABLE={sys.executable}"],
            check=True,
        )
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_devops_monitor", "-j", jobs], check=True)
        built = next((build_dir / "python" / "devops_monitor").glob("_devops_monitor*.so"))
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, target)


setup(
    ext_modules=[Extension("devops_monitor._devops_monitor", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": "build/setuptools"}},
)
