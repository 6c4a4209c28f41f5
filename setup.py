"""Builds the extension `deter._deter` with CMake (target deter_python), so
the Python package gets the same compiler flags, dictionary and layers as
every other build. pyproject.toml holds the metadata.

The CMake tree is build/pip (kept, so a second install is quick); set
DETER_CMAKE_BUILD_DIR to an already configured tree to build there instead
(the tests do, to reuse their own build).
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


def project_version():
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    return re.search(r"project\(deter VERSION ([0-9.]+)", text).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        tree = os.environ.get("DETER_CMAKE_BUILD_DIR")
        if tree:
            tree = pathlib.Path(tree).resolve()
        else:
            tree = ROOT / "build" / "pip"
            subprocess.run(
                ["cmake", "-S", str(ROOT), "-B", str(tree), "-DCMAKE_BUILD_TYPE=Release",
                 "-DDETER_BUILD_PYTHON=ON", "-DPython_EXECUTABLE=" + sys.executable,
                 "-DDETER_BUILD_TESTS=OFF", "-DDETER_BUILD_BENCH=OFF", "-DDETER_BUILD_CLI=OFF",
                 "-DDETER_BUILD_EXAMPLES=OFF", "-DDETER_BUILD_SHARED=OFF", "-DDETER_INSTALL=OFF"]
                + (["-G", "Ninja"] if shutil.which("ninja") else []),
                check=True)
        subprocess.run(["cmake", "--build", str(tree), "--target", "deter_python"], check=True)
        built = sorted((tree / "python" / "deter").glob("_deter*.so"))
        if not built:
            raise RuntimeError("no _deter module in %s/python/deter" % tree)
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], target)


setup(
    version=project_version(),
    ext_modules=[Extension("deter._deter", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
)
