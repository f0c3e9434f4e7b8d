# SPDX-License-Identifier: MIT
# Toolchain file for building code for wasm32 as a separate CMake project
# (cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-wasm32.cmake). The main build
# uses cmake/IsolaSip.cmake instead, which drives clang directly.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
set(CMAKE_C_COMPILER clang-14)
set(CMAKE_C_COMPILER_TARGET wasm32-unknown-unknown)
set(CMAKE_C_FLAGS_INIT "-mcpu=mvp -msign-ext -mnontrapping-fptoint -mbulk-memory -mmutable-globals -mmultivalue -ffreestanding -nostdlib")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -Wl,--no-entry")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
