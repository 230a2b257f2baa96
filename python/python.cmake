# The Python package devops_monitor: the extension _devops_monitor (pybind11 over the public
# C++ API) beside the pure-Python layer, assembled in ${CMAKE_BINARY_DIR}/python so that
# PYTHONPATH=build/python imports it straight from the build tree.

set(DEVOPS_MONITOR_PYTHON_PACKAGE_DIR ${CMAKE_BINARY_DIR}/python/devops_monitor)

pybind11_add_module(_devops_monitor MODULE python/src/bindings.cpp)
# The extension is its own target, outside the library's unity batches.
set_target_properties(_devops_monitor PROPERTIES
  UNITY_BUILD OFF
  LIBRARY_OUTPUT_DIRECTORY ${DEVOPS_MONITOR_PYTHON_PACKAGE_DIR})
target_link_libraries(_devops_monitor PRIVATE devops_monitor)

# The pure-Python files, copied next to the extension on every build.
file(GLOB DEVOPS_MONITOR_PY_FILES CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/python/devops_monitor/*.py
     ${PROJECT_SOURCE_DIR}/python/devops_monitor/*.pyi
     ${PROJECT_SOURCE_DIR}/python/devops_monitor/py.typed)
set(DEVOPS_MONITOR_PY_COPIES)
foreach(file ${DEVOPS_MONITOR_PY_FILES})
  get_filename_component(name ${file} NAME)
  add_custom_command(OUTPUT ${DEVOPS_MONITOR_PYTHON_PACKAGE_DIR}/${name}
                     COMMAND ${CMAKE_COMMAND} -E copy_if_different ${file}
                             ${DEVOPS_MONITOR_PYTHON_PACKAGE_DIR}/${name}
                     DEPENDS ${file})
  list(APPEND DEVOPS_MONITOR_PY_COPIES ${DEVOPS_MONITOR_PYTHON_PACKAGE_DIR}/${name})
endforeach()
add_custom_target(devops_monitor_python_files ALL DEPENDS ${DEVOPS_MONITOR_PY_COPIES})
add_dependencies(_devops_monitor devops_monitor_python_files)

# cmake --install: under the install prefix, in the directory Debian's python3 searches for
# packages installed locally (for /usr/local: /usr/local/lib/python3.X/dist-packages), never in
# /usr/lib/python3/dist-packages, which belongs to the package manager. An absolute
# DEVOPS_MONITOR_PYTHON_INSTALL_DIR is used as given (a virtualenv's site-packages).
set(DEVOPS_MONITOR_PYTHON_INSTALL_DIR
    lib/python${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}/dist-packages CACHE PATH
    "Where cmake --install puts the devops_monitor package (relative: under the install prefix)")
install(TARGETS _devops_monitor LIBRARY DESTINATION ${DEVOPS_MONITOR_PYTHON_INSTALL_DIR}/devops_monitor
        COMPONENT python)
install(FILES ${DEVOPS_MONITOR_PY_FILES} DESTINATION ${DEVOPS_MONITOR_PYTHON_INSTALL_DIR}/devops_monitor
        COMPONENT python)
if(IS_ABSOLUTE "${DEVOPS_MONITOR_PYTHON_INSTALL_DIR}")
  set(DEVOPS_MONITOR_PYTHON_INSTALL_PATH ${DEVOPS_MONITOR_PYTHON_INSTALL_DIR})
else()
  set(DEVOPS_MONITOR_PYTHON_INSTALL_PATH ${CMAKE_INSTALL_PREFIX}/${DEVOPS_MONITOR_PYTHON_INSTALL_DIR})
endif()
