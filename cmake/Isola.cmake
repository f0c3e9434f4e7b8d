# SPDX-License-Identifier: MIT
# Build helpers shared by every part. Portable code is compiled several ways
# from one source list: for host tools (NAME), for host tests under ASan and
# UBSan (NAME_san), for libFuzzer (NAME_fuzz) and freestanding for the kernel
# (NAME_kernel, an object library the kernel links whole).

set(ISOLA_WARNINGS -Wall -Wextra -Werror -Wmissing-prototypes
    -Wstrict-prototypes -Wshadow -Wvla)
set(ISOLA_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
set(ISOLA_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined
    -fno-sanitize-recover=all -fno-omit-frame-pointer)
set(ISOLA_KERNEL_FLAGS -ffreestanding -nostdlib -nostdinc -mno-red-zone
    -fno-pie -fno-pic -fno-stack-protector -fno-builtin
    -fno-omit-frame-pointer -fno-asynchronous-unwind-tables
    "SHELL:-isystem ${ISOLA_CLANG_RESOURCE_INCLUDE}"
    "SHELL:-isystem ${CMAKE_SOURCE_DIR}/kernel/lib/include")

# isola_portable_library(NAME SOURCES ... [INCLUDES dir...] [DEPS lib...]
#                        [SSE] [NO_KERNEL])
# DEPS names other portable libraries; each variant links the same variant.
# SSE keeps the vector registers (the execution engine needs them for floats).
function(isola_portable_library name)
  cmake_parse_arguments(A "SSE;NO_KERNEL" "" "SOURCES;INCLUDES;DEPS" ${ARGN})
  set(variants "" san fuzz)
  if(NOT A_NO_KERNEL)
    list(APPEND variants kernel)
  endif()
  foreach(v IN LISTS variants)
    if(v STREQUAL "")
      set(t ${name})
      add_library(${t} STATIC ${A_SOURCES})
    elseif(v STREQUAL "kernel")
      set(t ${name}_kernel)
      add_library(${t} OBJECT ${A_SOURCES})
      target_compile_options(${t} PRIVATE ${ISOLA_KERNEL_FLAGS})
      if(NOT A_SSE)
        target_compile_options(${t} PRIVATE -mgeneral-regs-only)
      endif()
    else()
      set(t ${name}_${v})
      add_library(${t} STATIC ${A_SOURCES})
      if(v STREQUAL "san")
        target_compile_options(${t} PUBLIC ${ISOLA_SAN_FLAGS})
        target_link_options(${t} PUBLIC ${ISOLA_SAN_FLAGS})
      else()
        target_compile_options(${t} PUBLIC ${ISOLA_FUZZ_FLAGS})
      endif()
    endif()
    target_compile_options(${t} PRIVATE ${ISOLA_WARNINGS})
    target_include_directories(${t} PUBLIC ${A_INCLUDES}
                               ${CMAKE_SOURCE_DIR}/common/include)
    # The environment's hooks (isola_assert_fail) come with every host
    # variant, so a tool or test that reaches this library only through
    # another one still links.
    if(v STREQUAL "")
      target_link_libraries(${t} INTERFACE isola_host_support)
    elseif(v STREQUAL "san")
      target_link_libraries(${t} INTERFACE isola_test_support)
    elseif(v STREQUAL "fuzz")
      target_link_libraries(${t} INTERFACE isola_host_support_fuzz)
    endif()
    foreach(d IN LISTS A_DEPS)
      if(v STREQUAL "")
        target_link_libraries(${t} PUBLIC ${d})
      elseif(v STREQUAL "kernel")
        target_include_directories(${t} PUBLIC
          $<TARGET_PROPERTY:${d}_kernel,INTERFACE_INCLUDE_DIRECTORIES>)
      else()
        target_link_libraries(${t} PUBLIC ${d}_${v})
      endif()
    endforeach()
  endforeach()
endfunction()

# isola_host_tool(NAME SOURCES ... LIBS ...): a command-line tool in build/bin.
function(isola_host_tool name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${A_SOURCES})
  target_compile_options(${name} PRIVATE ${ISOLA_WARNINGS})
  target_link_libraries(${name} PRIVATE ${A_LIBS} isola_host_support)
  set_target_properties(${name} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
endfunction()

# isola_unit_test(PART UNIT SOURCES ... LIBS ...): a cmocka test run by ctest
# as unit.PART.UNIT under AddressSanitizer and UBSan. LIBS are portable
# library names; the _san variant is linked.
function(isola_unit_test part unit)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  set(t test_${part}_${unit})
  add_executable(${t} ${A_SOURCES})
  target_compile_options(${t} PRIVATE ${ISOLA_WARNINGS} ${ISOLA_SAN_FLAGS})
  target_link_options(${t} PRIVATE ${ISOLA_SAN_FLAGS})
  set(libs "")
  foreach(l IN LISTS A_LIBS)
    list(APPEND libs ${l}_san)
  endforeach()
  target_link_libraries(${t} PRIVATE ${libs} isola_test_support ${CMOCKA_LIBRARY})
  target_include_directories(${t} PRIVATE ${CMOCKA_INCLUDE_DIR})
  set_target_properties(${t} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
  add_test(NAME unit.${part}.${unit} COMMAND ${t})
  set_tests_properties(unit.${part}.${unit} PROPERTIES LABELS unit TIMEOUT 300)
endfunction()

# isola_fuzz_target(NAME SOURCES ... LIBS ... [SEED_DIR dir...] [SECONDS n]):
# a libFuzzer harness in build/fuzz/fuzz_NAME, run by `./isola fuzz NAME S`;
# ctest runs it briefly as fuzz.NAME.
function(isola_fuzz_target name)
  cmake_parse_arguments(A "" "SECONDS" "SOURCES;LIBS;SEED_DIR" ${ARGN})
  set(t fuzz_${name})
  add_executable(${t} ${A_SOURCES})
  target_compile_options(${t} PRIVATE ${ISOLA_WARNINGS} ${ISOLA_FUZZ_FLAGS})
  target_link_options(${t} PRIVATE -fsanitize=fuzzer,address,undefined)
  set(libs "")
  foreach(l IN LISTS A_LIBS)
    list(APPEND libs ${l}_fuzz)
  endforeach()
  target_link_libraries(${t} PRIVATE ${libs} isola_host_support_fuzz)
  set_target_properties(${t} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
  if(NOT A_SECONDS)
    set(A_SECONDS 20)
  endif()
  # ./isola fuzz NAME reads the seed folder from here.
  string(REPLACE ";" "\n" seed_lines "${A_SEED_DIR}")
  file(WRITE ${CMAKE_BINARY_DIR}/fuzz/fuzz_${name}.seeds "${seed_lines}")
  add_test(NAME fuzz.${name}
    COMMAND ${CMAKE_SOURCE_DIR}/tests/fuzz/run-fuzzer.sh
            $<TARGET_FILE:${t}> ${A_SECONDS} ${CMAKE_BINARY_DIR}/fuzz/${name}
            ${A_SEED_DIR})
  set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz TIMEOUT 600)
endfunction()

# isola_session_test(NAME INITRD LABELS run.sh args...): the kernel booted
# with init on INITRD in QEMU (tests/qemu/run.sh), the given steps at the
# shell, which must end the session themselves (`exit`), then `halt` at
# the kernel console. LABELS is a ;-list.
function(isola_session_test name initrd labels)
  add_test(NAME ${name}
    COMMAND ${CMAKE_SOURCE_DIR}/tests/qemu/run.sh --kernel $<TARGET_FILE:isola.elf>
            --initrd ${initrd} ${ARGN}
            --step "kernel console takes over" "halt\\n"
            --expect "halting" --timeout 60)
  set_tests_properties(${name} PROPERTIES LABELS "${labels}" TIMEOUT 120)
endfunction()
