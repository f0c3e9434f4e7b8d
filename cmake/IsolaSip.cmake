# SPDX-License-Identifier: MIT
# WebAssembly modules and SIPs: C compiled by clang-14 for wasm32 with the
# feature set pinned, so a toolchain upgrade cannot change what the verifier
# sees. isola_add_wasm() builds plain modules (tests, benchmarks);
# isola_add_sip() builds SIPs through sipcc, with the checked-C rules on.

find_program(ISOLA_WASM_CLANG NAMES clang-14 clang REQUIRED)
find_program(ISOLA_WASM_LD NAMES wasm-ld-14 wasm-ld REQUIRED)

set(ISOLA_WASM_FEATURES -mcpu=mvp
    -msign-ext -mnontrapping-fptoint -mbulk-memory -mmutable-globals
    -mmultivalue -Xclang -target-abi -Xclang experimental-mv)
# Ordinary C (sipcc --unchecked) keeps the standard C ABI, wasi-libc's,
# so that div() and its kind link, and leaves multi-value off: with it
# on, clang-14 calls the long double helpers (__extenddftf2, ...) as
# multi-value returns, which does not validate.
set(ISOLA_WASM_FEATURES_STD -mcpu=mvp
    -msign-ext -mnontrapping-fptoint -mbulk-memory -mmutable-globals)
# Plain modules: freestanding, no C library.
set(ISOLA_WASM_CFLAGS --target=wasm32-unknown-unknown ${ISOLA_WASM_FEATURES}
    -O2 -ffreestanding -nostdlib -fno-builtin)
# SIPs (sipcc, libsip): hosted C on wasi-libc, Debian's wasm32 build of
# musl (docs/libsip.md). -nostdlibinc: clang-14 would also search the
# host's /usr/include for wasm32-wasi, so a header wasi-libc lacks
# (setjmp.h, pwd.h) would come from glibc; wasi-libc's folder
# (ISOLA_WASI_INCLUDE) goes last on the path instead, after libsip's.
set(ISOLA_SIP_CFLAGS --target=wasm32-wasi ${ISOLA_WASM_FEATURES} -O2 -nostdlibinc)
set(ISOLA_SIP_UNCHECKED_CFLAGS --target=wasm32-wasi ${ISOLA_WASM_FEATURES_STD} -O2 -nostdlibinc)
# What sipcc links after libsip: wasi-libc and clang's wasm32 builtins
# (64-bit and long double arithmetic that wasm32 lacks).
find_file(ISOLA_WASI_LIBC libc.a PATHS /usr/lib/wasm32-wasi NO_DEFAULT_PATH)
find_path(ISOLA_WASI_INCLUDE stdio.h PATHS /usr/include/wasm32-wasi NO_DEFAULT_PATH)
find_file(ISOLA_WASM_BUILTINS libclang_rt.builtins-wasm32.a
  PATHS /usr/lib/llvm-14/lib/clang/14.0.6/lib/wasi NO_DEFAULT_PATH)
if(NOT ISOLA_WASI_LIBC OR NOT ISOLA_WASI_INCLUDE OR NOT ISOLA_WASM_BUILTINS)
  message(FATAL_ERROR "SIPs need wasi-libc and libclang-rt-14-dev-wasm32 "
                      "(./isola deps lists what is missing)")
endif()

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

# isola_add_wasm(NAME SOURCES ... [EXPORTS sym...] [CFLAGS flag...]
#                [DEPENDS dep...]): builds NAME.wasm in the build tree from
# C sources; the target is NAME.
function(isola_add_wasm name)
  cmake_parse_arguments(A "" "" "SOURCES;EXPORTS;CFLAGS;DEPENDS" ${ARGN})
  set(ldflags "")
  foreach(e IN LISTS A_EXPORTS)
    list(APPEND ldflags --export=${e})
  endforeach()
  isola_wasm_link(${name} ${CMAKE_CURRENT_BINARY_DIR}/${name}.wasm
    COMPILE ${ISOLA_WASM_CLANG} ${ISOLA_WASM_CFLAGS} ${A_CFLAGS}
            -I${CMAKE_SOURCE_DIR}/common/include
    SOURCES ${A_SOURCES} DEPENDS ${A_DEPENDS} LDFLAGS ${ldflags})
endfunction()

# The system contracts (channels/contracts), compiled once by contractc into
# ISOLA_SIP_CONTRACTS_DIR: for each contract NAME.h, NAME.desc (embedded by
# sipcc) and NAME.registry.c (compiled into the kernel, which knows them
# from boot). Headers are included as <contracts/NAME.h>, from
# ISOLA_SIP_CONTRACTS_INCLUDE (on every SIP's include path, as a system
# folder), so a contract's header never shares a name with another header.
# The rule is isola_sip_contracts(), called by channels/; target
# sip_contracts.
set(ISOLA_SIP_CONTRACTS_INCLUDE ${CMAKE_BINARY_DIR}/channels/contracts-gen)
set(ISOLA_SIP_CONTRACTS_DIR ${ISOLA_SIP_CONTRACTS_INCLUDE}/contracts)
# Contract files, and the contracts they define (naming.contract also
# defines kvbind).
set(ISOLA_SIP_SYSTEM_CONTRACTS console ns provider timer kv naming)
set(ISOLA_SIP_CONTRACT_NAMES console ns provider timer kv kvbind naming)
# The ones libsip uses, embedded in every linked SIP.
set(ISOLA_SIP_LIBSIP_CONTRACTS console ns provider)
# libsip's archive (sips/lib/libsip, target libsip), linked into every SIP,
# and its headers.
set(ISOLA_LIBSIP_ARCHIVE ${CMAKE_BINARY_DIR}/sips/lib/libsip/libsip.a)
set(ISOLA_LIBSIP_INCLUDE ${CMAKE_SOURCE_DIR}/sips/lib/libsip/include)
# The code the system SIPs share (sips/lib: <svc/svc.h>, <spawn/spawn.h>).
set(ISOLA_SIP_LIB_DIR ${CMAKE_SOURCE_DIR}/sips/lib)

function(isola_sip_contracts)
  set(gen ${ISOLA_SIP_CONTRACTS_DIR})
  set(cmds "")
  set(files "")
  set(byproducts "")
  foreach(c IN LISTS ISOLA_SIP_SYSTEM_CONTRACTS)
    set(f ${CMAKE_SOURCE_DIR}/channels/contracts/${c}.contract)
    list(APPEND files ${f})
    list(APPEND cmds COMMAND contractc --no-line ${f} -o ${gen})
  endforeach()
  foreach(c IN LISTS ISOLA_SIP_CONTRACT_NAMES)
    list(APPEND byproducts ${gen}/${c}.h ${gen}/${c}.desc ${gen}/${c}.registry.c)
  endforeach()
  add_custom_command(OUTPUT ${gen}/contracts.stamp
    COMMAND ${CMAKE_COMMAND} -E make_directory ${gen}
    ${cmds}
    COMMAND ${CMAKE_COMMAND} -E touch ${gen}/contracts.stamp
    BYPRODUCTS ${byproducts}
    DEPENDS contractc ${files}
    COMMENT "Compiling the system contracts" VERBATIM)
  add_custom_target(sip_contracts ALL DEPENDS ${gen}/contracts.stamp)
endfunction()

# isola_add_sip(NAME SOURCES src... [CONTRACTS file.contract...]
#               [MANIFEST file]): a SIP image NAME.sip from checked C, built
# by sipcc (docs/sipcc.md): each source compiled with the sipcheck plugin
# and sips/lib on the include path (<svc/svc.h>, <spawn/spawn.h>),
# linked with libsip, with the manifest (default: name NAME and the name
# service endpoint) and the descriptors of the system and CONTRACTS
# contracts embedded; added to the initrd as sips/NAME.sip.
# A SIP whose source exports its own entry point (export_name("main") or
# "_start"), or any SIP while the tree has no libsip target, is a bare
# module on the kernel ABI instead: compiled by sipcc, linked without
# libsip, no sections (so no CONTRACTS or MANIFEST).
function(isola_add_sip name)
  cmake_parse_arguments(A "" "MANIFEST" "SOURCES;CONTRACTS" ${ARGN})
  if(NOT TARGET sipcc)
    message(FATAL_ERROR "SIP ${name} needs sipcc (compiler-plugin/)")
  endif()
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.sip)
  set(bare FALSE)
  foreach(src IN LISTS A_SOURCES)
    get_filename_component(abs ${src} ABSOLUTE)
    file(STRINGS ${abs} entry REGEX "export_name\\(\"(main|_start)\"\\)")
    # Re-read when the source changes (a SIP moving to libsip).
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${abs})
    if(entry)
      set(bare TRUE)
    endif()
  endforeach()
  if(TARGET libsip AND NOT bare)
    isola_sip_link(sip_${name} ${out} "${A_SOURCES}" "${A_CONTRACTS}"
                   "${A_MANIFEST}")
  elseif(A_CONTRACTS OR A_MANIFEST)
    message(FATAL_ERROR "SIP ${name}: CONTRACTS and MANIFEST need libsip")
  else()
    isola_wasm_link(sip_${name} ${out}
      COMPILE ${CMAKE_BINARY_DIR}/bin/sipcc
              -isystem ${ISOLA_LIBSIP_INCLUDE} -I${ISOLA_SIP_LIB_DIR}
      SOURCES ${A_SOURCES} DEPENDS sipcc sipcheck)
  endif()
  set_property(GLOBAL APPEND PROPERTY ISOLA_INITRD_FILES "${out}=sips/${name}.sip")
  set_property(GLOBAL APPEND PROPERTY ISOLA_INITRD_TARGETS sip_${name})
endfunction()

# isola_sip_link(TARGET OUT SOURCES CONTRACTS MANIFEST): `sipcc -c` per
# source (with a depfile, so header edits rebuild it), then one `sipcc` that
# links and embeds.
function(isola_sip_link target out sources contracts manifest)
  set(sipcc ${CMAKE_BINARY_DIR}/bin/sipcc)
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${target}.dir)
  set(tools ${sipcc} sipcc sipcheck sipembed contractc sip_contracts
            ${ISOLA_SIP_CONTRACTS_DIR}/contracts.stamp)
  list(TRANSFORM contracts PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/
       REGEX "^[^/]")
  set(objs "")
  foreach(src IN LISTS sources)
    get_filename_component(abs ${src} ABSOLUTE)
    get_filename_component(base ${src} NAME_WE)
    set(obj ${dir}/${base}.o)
    add_custom_command(OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
      COMMAND ${sipcc} -c -I${ISOLA_SIP_LIB_DIR} ${abs} ${contracts} -o ${obj}
              -MMD -MF ${obj}.d
      DEPENDS ${abs} ${contracts} ${tools}
      DEPFILE ${obj}.d VERBATIM)
    list(APPEND objs ${obj})
  endforeach()
  set(mopt "")
  if(manifest)
    get_filename_component(manifest ${manifest} ABSOLUTE)
    set(mopt --manifest ${manifest})
  endif()
  add_custom_command(OUTPUT ${out}
    COMMAND ${sipcc} ${mopt} ${objs} ${contracts} -o ${out}
    DEPENDS ${objs} ${contracts} ${manifest} ${tools} libsip
            ${ISOLA_LIBSIP_ARCHIVE}
    VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${out})
endfunction()
