# SPDX-License-Identifier: MIT
# WebAssembly modules and SIPs: C compiled by clang-14 for wasm32 with the
# feature set pinned, so a toolchain upgrade cannot change what the verifier
# sees. isola_add_wasm() builds plain modules (tests, benchmarks);
# isola_add_sip() builds SIPs through sipcc, with the checked-C rules on.

find_program(ISOLA_WASM_CLANG NAMES clang-14 clang REQUIRED)
find_program(ISOLA_WASM_LD NAMES wasm-ld-14 wasm-ld REQUIRED)

set(ISOLA_WASM_CFLAGS --target=wasm32-unknown-unknown -mcpu=mvp
    -msign-ext -mnontrapping-fptoint -mbulk-memory -mmutable-globals
    -mmultivalue -Xclang -target-abi -Xclang experimental-mv
    -O2 -ffreestanding -nostdlib -fno-builtin)

# isola_wasm_link(TARGET OUT COMPILE CMD... SOURCES src... [DEPENDS dep...]
#                 [LDFLAGS flag...]): compiles each source with CMD (a
# compiler command line; "-c SRC -o OBJ" is appended), links the objects
# with wasm-ld into OUT and makes TARGET build it.
function(isola_wasm_link target out)
  cmake_parse_arguments(A "" "" "COMPILE;SOURCES;DEPENDS;LDFLAGS" ${ARGN})
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${target}.dir)
  set(objs "")
  foreach(src IN LISTS A_SOURCES)
    get_filename_component(abs ${src} ABSOLUTE)
    get_filename_component(base ${src} NAME_WE)
    set(obj ${dir}/${base}.o)
    add_custom_command(OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
      COMMAND ${A_COMPILE} -c ${abs} -o ${obj}
      DEPENDS ${abs} ${A_DEPENDS} VERBATIM)
    list(APPEND objs ${obj})
  endforeach()
  add_custom_command(OUTPUT ${out}
    COMMAND ${ISOLA_WASM_LD} --no-entry --strip-debug ${A_LDFLAGS} ${objs} -o ${out}
    DEPENDS ${objs} VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${out})
endfunction()

# isola_add_wasm(NAME SOURCES ... [EXPORTS sym...] [CFLAGS flag...]):
# builds NAME.wasm in the build tree from C sources; the target is NAME.
function(isola_add_wasm name)
  cmake_parse_arguments(A "" "" "SOURCES;EXPORTS;CFLAGS" ${ARGN})
  set(ldflags "")
  foreach(e IN LISTS A_EXPORTS)
    list(APPEND ldflags --export=${e})
  endforeach()
  isola_wasm_link(${name} ${CMAKE_CURRENT_BINARY_DIR}/${name}.wasm
    COMPILE ${ISOLA_WASM_CLANG} ${ISOLA_WASM_CFLAGS} ${A_CFLAGS}
            -I${CMAKE_SOURCE_DIR}/common/include
    SOURCES ${A_SOURCES} LDFLAGS ${ldflags})
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
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.sip)
  isola_wasm_link(sip_${name} ${out}
    COMPILE ${CMAKE_BINARY_DIR}/bin/sipcc
            -isystem ${CMAKE_SOURCE_DIR}/runtime/libsip/include
    SOURCES ${A_SOURCES} DEPENDS sipcc sipcheck)
  set_property(GLOBAL APPEND PROPERTY ISOLA_INITRD_FILES "${out}=sips/${name}.sip")
  set_property(GLOBAL APPEND PROPERTY ISOLA_INITRD_TARGETS sip_${name})
endfunction()
