;; SPDX-License-Identifier: MIT
;; Hostile: imports a function the kernel ABI does not have. Refused when
;; the engine binds its imports: "cannot start bad_import (error 3200
;; ERR_ENG_IMPORT_UNKNOWN): unknown import".
(module
  (import "isola" "format_disk" (func $format_disk))
  (func (export "main")
    call $format_disk))
