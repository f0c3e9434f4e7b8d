# SPDX-License-Identifier: MIT
# SIPs: checked C compiled by clang-14 for wasm32 with the feature set pinned,
# so a toolchain upgrade cannot change what the verifier sees (DESIGN.md,
# section 4). isola_add_sip() grows into the full sipcc pipeline (plugin,
# libsip, manifest and contract sections) with the SIP issue.

find_program(ISOLA_WASM_CLANG NAMES clang-14 clang REQUIRED)
find_program(ISOLA_WASM_LD NAMES wasm-ld-14 wasm-ld REQUIRED)

set(ISOLA_WASM_CFLAGS --target=wasm32-unknown-unknown -mcpu=mvp
    -msign-ext -mnontrapping-fptoint -mbulk-memory -mmutable-globals
    -mmultivalue -Xclang -target-abi -Xclang experimental-mv
    -O2 -ffreestanding -nostdlib -fno-builtin)

# isola_add_wasm(NAME SOURCES ... [EXPORTS sym...] [NO_ENTRY])
# Builds NAME.wasm in the build tree from C sources; the target is NAME.
function(isola_add_wasm name)
  cmake_parse_arguments(A "NO_ENTRY" "" "SOURCES;EXPORTS;CFLAGS" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.wasm)
  set(objs "")
  foreach(src IN LISTS A_SOURCES)
    get_filename_component(abs ${src} ABSOLUTE)
    get_filename_component(base ${src} NAME_WE)
    set(obj ${CMAKE_CURRENT_BINARY_DIR}/${name}.dir/${base}.o)
    add_custom_command(OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/${name}.dir
      COMMAND ${ISOLA_WASM_CLANG} ${ISOLA_WASM_CFLAGS} ${A_CFLAGS}
              -I${CMAKE_SOURCE_DIR}/common/include -c ${abs} -o ${obj}
      DEPENDS ${abs} VERBATIM)
    list(APPEND objs ${obj})
  endforeach()
  set(ldflags --no-entry --strip-debug)
  foreach(e IN LISTS A_EXPORTS)
    list(APPEND ldflags --export=${e})
  endforeach()
  add_custom_command(OUTPUT ${out}
    COMMAND ${ISOLA_WASM_LD} ${ldflags} ${objs} -o ${out}
    DEPENDS ${objs} VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${out})
  set_target_properties(${name} PROPERTIES WASM_FILE ${out})
endfunction()

# isola_add_sip(NAME SOURCES ...): a SIP image NAME.sip from checked C,
# compiled by sipcc (the sipcheck plugin enforces docs/checked-c.md) with
# libsip's headers as system headers, linked with wasm-ld, and added to the
# initrd as sips/NAME.sip. Until libsip's library and the manifest exist,
# a SIP is a module on the kernel ABI exporting its entry point "main".
function(isola_add_sip name)
  cmake_parse_arguments(A "" "" "SOURCES" ${ARGN})
  if(NOT TARGET sipcc)
    message(FATAL_ERROR "SIP ${name} needs sipcc (compiler-plugin/)")
  endif()
  set(sipcc ${CMAKE_BINARY_DIR}/bin/sipcc)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.sip)
  set(objs "")
  foreach(src IN LISTS A_SOURCES)
    get_filename_component(abs ${src} ABSOLUTE)
    get_filename_component(base ${src} NAME_WE)
    set(obj ${CMAKE_CURRENT_BINARY_DIR}/${name}.dir/${base}.o)
    add_custom_command(OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/${name}.dir
      COMMAND ${sipcc} -isystem ${CMAKE_SOURCE_DIR}/runtime/libsip/include
              -c ${abs} -o ${obj}
      DEPENDS ${abs} sipcc sipcheck VERBATIM)
    list(APPEND objs ${obj})
  endforeach()
  add_custom_command(OUTPUT ${out}
    COMMAND ${ISOLA_WASM_LD} --no-entry --strip-debug ${objs} -o ${out}
    DEPENDS ${objs} VERBATIM)
  add_custom_target(sip_${name} ALL DEPENDS ${out})
  set_property(GLOBAL APPEND PROPERTY ISOLA_INITRD_FILES "${out}=sips/${name}.sip")
  set_property(GLOBAL APPEND PROPERTY ISOLA_INITRD_TARGETS sip_${name})
endfunction()
