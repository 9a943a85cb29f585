# Optional dependencies of the observability headers (OpenTelemetry bridge,
# Boost.Log and spdlog adapters, fmt formatter), found once for the tests and
# the examples. Each dependency that is missing only leaves out the tests and
# examples that need it, and says so.
#
#   BOOST_CONTEXTVARS_OTEL_ROOT  a prefix holding include/opentelemetry (the
#                                OpenTelemetry C++ API headers), e.g.
#                                -DBOOST_CONTEXTVARS_OTEL_ROOT=$(bash scripts/fetch-debian opentelemetry | tail -n1)
#                                Without it, find_package(opentelemetry-cpp) is tried.
#
# Targets (only when found): boost_contextvars_otel_api, Boost::log + Boost::log_setup,
# spdlog::spdlog, fmt::fmt.

include_guard(GLOBAL)

set(BOOST_CONTEXTVARS_OTEL_ROOT "" CACHE PATH
  "Prefix holding include/opentelemetry (OpenTelemetry C++ API headers); empty: find_package(opentelemetry-cpp)")

# ---- OpenTelemetry C++ API (header-only) ----------------------------------------
if(BOOST_CONTEXTVARS_OTEL_ROOT)
  if(EXISTS ${BOOST_CONTEXTVARS_OTEL_ROOT}/include/opentelemetry/context/runtime_context.h)
    # The prefix may hold other headers too (the fetched one holds a newer
    # Boost), so only its opentelemetry/ directory is put on the include path.
    set(_cv_otel_inc ${PROJECT_BINARY_DIR}/otel-include)
    file(MAKE_DIRECTORY ${_cv_otel_inc})
    file(CREATE_LINK ${BOOST_CONTEXTVARS_OTEL_ROOT}/include/opentelemetry ${_cv_otel_inc}/opentelemetry SYMBOLIC)
    add_library(boost_contextvars_otel_api INTERFACE IMPORTED GLOBAL)
    set_target_properties(boost_contextvars_otel_api PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${_cv_otel_inc})
    message(STATUS "Boost.ContextVars: OpenTelemetry API headers in ${BOOST_CONTEXTVARS_OTEL_ROOT}: otel tests and example registered")
  else()
    message(WARNING "Boost.ContextVars: BOOST_CONTEXTVARS_OTEL_ROOT=${BOOST_CONTEXTVARS_OTEL_ROOT} has no "
      "include/opentelemetry/context/runtime_context.h: otel tests and example skipped")
  endif()
else()
  # Only load a package whose libraries are there: its config file stops configuring with
  # a fatal error when an imported target's library is missing, and a prefix with only
  # the -dev part unpacked (scripts/fetch-debian, whose prefix the version jobs put
  # on CMAKE_PREFIX_PATH) has the config but not the SDK libraries.
  find_file(_cv_otel_config opentelemetry-cpp-config.cmake
    PATH_SUFFIXES lib/cmake/opentelemetry-cpp lib/${CMAKE_LIBRARY_ARCHITECTURE}/cmake/opentelemetry-cpp
    share/cmake/opentelemetry-cpp NO_CACHE)
  if(_cv_otel_config)
    get_filename_component(_cv_otel_libdir ${_cv_otel_config} DIRECTORY)
    get_filename_component(_cv_otel_libdir ${_cv_otel_libdir}/../.. ABSOLUTE)
    file(GLOB _cv_otel_libs ${_cv_otel_libdir}/libopentelemetry_*.so* ${_cv_otel_libdir}/libopentelemetry_*.a)
    set(_cv_otel_ok OFF)
    foreach(_cv_lib IN LISTS _cv_otel_libs)
      if(EXISTS ${_cv_lib}) # a dangling .so link (runtime package not unpacked) does not count
        set(_cv_otel_ok ON)
      endif()
    endforeach()
    if(_cv_otel_ok)
      find_package(opentelemetry-cpp CONFIG QUIET)
    else()
      message(STATUS "Boost.ContextVars: ${_cv_otel_config} has no libraries beside it: not loaded")
    endif()
  endif()
  if(TARGET opentelemetry-cpp::api)
    add_library(boost_contextvars_otel_api INTERFACE IMPORTED GLOBAL)
    set_target_properties(boost_contextvars_otel_api PROPERTIES INTERFACE_LINK_LIBRARIES opentelemetry-cpp::api)
    message(STATUS "Boost.ContextVars: opentelemetry-cpp found: otel tests and example registered")
  else()
    message(STATUS "Boost.ContextVars: OpenTelemetry API headers not found (set BOOST_CONTEXTVARS_OTEL_ROOT): "
      "otel tests and example skipped")
  endif()
endif()

# ---- Boost.Log (compiled; Debian: libboost-log1.81-dev) ---------------------------
if(NOT TARGET Boost::log_setup)
  find_package(boost_log_setup 1.81 CONFIG QUIET)
endif()
if(NOT TARGET Boost::log_setup)
  message(STATUS "Boost.ContextVars: Boost.Log not found (libboost-log1.81-dev): boost_log test skipped")
endif()

# ---- spdlog and fmt (Debian: libspdlog-dev, libfmt-dev) ----------------------------
if(NOT TARGET spdlog::spdlog)
  find_package(spdlog CONFIG QUIET)
endif()
if(NOT TARGET spdlog::spdlog)
  message(STATUS "Boost.ContextVars: spdlog not found (libspdlog-dev): spdlog test skipped")
endif()
if(NOT TARGET fmt::fmt)
  find_package(fmt CONFIG QUIET)
endif()

# ---- names the test/example Jamfiles use (<library>NAME) ---------------------------
# One target per optional dependency, without "::" so that a Jamfile line can name it;
# b2 declares the same names (as <build>no aliases: b2 leaves these tests out).
if(TARGET Boost::log_setup AND NOT TARGET boost_contextvars_boost_log)
  add_library(boost_contextvars_boost_log INTERFACE IMPORTED GLOBAL)
  set_target_properties(boost_contextvars_boost_log PROPERTIES INTERFACE_LINK_LIBRARIES "Boost::log_setup;Boost::log")
endif()
if(TARGET spdlog::spdlog AND TARGET fmt::fmt AND NOT TARGET boost_contextvars_spdlog)
  add_library(boost_contextvars_spdlog INTERFACE IMPORTED GLOBAL)
  set_target_properties(boost_contextvars_spdlog PROPERTIES INTERFACE_LINK_LIBRARIES "spdlog::spdlog;fmt::fmt")
endif()
if(TARGET fmt::fmt AND NOT TARGET boost_contextvars_fmt)
  add_library(boost_contextvars_fmt INTERFACE IMPORTED GLOBAL)
  set_target_properties(boost_contextvars_fmt PROPERTIES INTERFACE_LINK_LIBRARIES fmt::fmt)
endif()
