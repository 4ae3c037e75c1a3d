# wildws_add_plugin(<name> SOURCES <files...> [LIBRARIES <targets...>])
#
# Builds wildws-<name>.so: a MODULE with hidden visibility (only the two
# symbols WILDWS_PLUGIN exports are visible), linked against wildws::sdk
# (which brings the shared spdlog: never the header-only one), with
# -Wl,--no-undefined so a missing symbol fails the build, not the load.
# The target is called wildws-<name>. Output goes to WILDWS_PLUGIN_OUTPUT_DIR
# when set, else to <build>/plugins, where `wildws --plugins-dir` can find it.
function(wildws_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT name MATCHES "^[a-z0-9_-]+$")
    message(FATAL_ERROR "wildws_add_plugin: '${name}' must match [a-z0-9_-]+")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "wildws_add_plugin(${name}): SOURCES is required")
  endif()
  set(target wildws-${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  if(WILDWS_PLUGIN_OUTPUT_DIR)
    set(outdir ${WILDWS_PLUGIN_OUTPUT_DIR})
  else()
    set(outdir ${CMAKE_BINARY_DIR}/plugins)
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME wildws-${name}
    LIBRARY_OUTPUT_DIRECTORY ${outdir}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    CXX_STANDARD 17
    CXX_STANDARD_REQUIRED ON)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  target_compile_definitions(${target} PRIVATE WILDWS_PLUGIN_NAME="${name}")
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
  target_link_libraries(${target} PRIVATE wildws::sdk ${ARG_LIBRARIES})
endfunction()
