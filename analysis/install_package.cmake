# Run by `cmake --install` (install(SCRIPT) in the top-level CMakeLists.txt): copies the Python
# package aidflow_analysis to where Debian's python3 looks for the install prefix, replacing any
# older copy whole (so a module renamed or removed since cannot linger and be imported).
#
# Set before this script runs (install(CODE) in CMakeLists.txt):
#   AIDFLOW_PACKAGE_SOURCE       the source directory analysis/aidflow_analysis
#   AIDFLOW_PYTHON               the interpreter (Debian's /usr/bin/python3)
#   AIDFLOW_PYTHON_VERSION       its major.minor, e.g. 3.11
#   AIDFLOW_PYTHON_INSTALL_DIR   where to install instead (absolute, or relative to the prefix)
#   AIDFLOW_PYTHON_MODULE        the compiled module aidflow_analysis._engine (empty: not built)
#
# The directory for a prefix P, as Debian's python3 searches them:
#   /usr          lib/python3/dist-packages        (Debian's own packages)
#   /usr/local    lib/python3.X/dist-packages      (on sys.path of Debian's python3)
#   $HOME/.local  lib/python3.X/site-packages      (the user site, also on sys.path)
#   anything else lib/python3.X/site-packages      (a venv's layout; else put it on PYTHONPATH)

cmake_path(NORMAL_PATH CMAKE_INSTALL_PREFIX OUTPUT_VARIABLE prefix)
string(REGEX REPLACE "(.)/$" "\\1" prefix "${prefix}")
set(user_prefix "$ENV{HOME}/.local")
cmake_path(NORMAL_PATH user_prefix)
string(REGEX REPLACE "(.)/$" "\\1" user_prefix "${user_prefix}")

if(AIDFLOW_PYTHON_INSTALL_DIR)
  set(package_dir "${AIDFLOW_PYTHON_INSTALL_DIR}")
elseif(prefix STREQUAL "/usr")
  set(package_dir "lib/python3/dist-packages")
elseif(prefix STREQUAL "/usr/local")
  set(package_dir "lib/python${AIDFLOW_PYTHON_VERSION}/dist-packages")
else()  # $HOME/.local (the user site), a venv, a private stage
  set(package_dir "lib/python${AIDFLOW_PYTHON_VERSION}/site-packages")
endif()
if(NOT IS_ABSOLUTE "${package_dir}")
  set(package_dir "${prefix}/${package_dir}")
endif()

file(REMOVE_RECURSE "$ENV{DESTDIR}${package_dir}/aidflow_analysis")
file(INSTALL DESTINATION "${package_dir}" TYPE DIRECTORY FILES "${AIDFLOW_PACKAGE_SOURCE}"
     FILES_MATCHING PATTERN "*.py" PATTERN "py.typed" PATTERN "file_format.json" PATTERN "__pycache__" EXCLUDE)
# The compiled module (aidflow_analysis.run and .sweep in-process), as built: its run path names
# Debian's HDF5 directory, as the command's does.
if(AIDFLOW_PYTHON_MODULE)
  file(INSTALL DESTINATION "${package_dir}/aidflow_analysis" TYPE FILE
       FILES "${AIDFLOW_PYTHON_MODULE}")
endif()

# Say whether python3 will find it as installed, and what to do if not.
if(NOT "$ENV{DESTDIR}" STREQUAL "")
  return()
endif()
execute_process(
  COMMAND "${AIDFLOW_PYTHON}" -c "import sys; print(sys.argv[1] in sys.path)" "${package_dir}"
  OUTPUT_VARIABLE on_path OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(on_path STREQUAL "True")
  message(STATUS "aidflow_analysis: ${AIDFLOW_PYTHON} imports it from ${package_dir}")
else()
  message(STATUS "aidflow_analysis: installed to ${package_dir}, which ${AIDFLOW_PYTHON} does "
                 "not search: set PYTHONPATH=${package_dir}")
endif()
