;; SPDX-License-Identifier: MIT
;; Hostile: imports the ABI's `log` with the wrong signature (one i32, so
;; the kernel would read a length that was never passed). Refused when the
;; engine binds it: "cannot start bad_import_type (error 3201
;; ERR_ENG_IMPORT_TYPE): incompatible import type".
(module
  (import "isola" "log" (func $log (param i32) (result i32)))
  (memory 1)
  (func (export "main") (result i32)
    i32.const 0
    call $log))
