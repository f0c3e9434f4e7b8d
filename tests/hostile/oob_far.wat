;; SPDX-License-Identifier: MIT
;; Hostile: the farthest reach a load can name, a 32-bit address near
;; 4 GiB plus a 32-bit offset near 4 GiB, almost 8 GiB past the memory's
;; base. With guard regions the access falls in the SIP's own reservation
;; and faults there: trapped (3001, out of bounds), never another SIP's
;; memory or the kernel's.
(module
  (memory 1)
  (func (export "main") (result i32)
    i32.const 0xfffffff8
    i64.load offset=0xfffffff8
    i32.wrap_i64))
