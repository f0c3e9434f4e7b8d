;; SPDX-License-Identifier: MIT
;; Hostile: a start function that fills the handle table with blocks and
;; traps. Its manifest (endpoint pm procmgr) gives it an initial handle, so
;; a start function run before binding would make the binding fail and
;; its blocks would be forgotten. The start function runs on the SIP's own
;; thread after binding: trapped (3000), every block reclaimed.
(module
  (import "isola" "blk_alloc" (func $blk_alloc (param i32 i32) (result i32)))
  (func $fill
    (block $full
      (loop $more
        (br_if $full (i32.le_s (call $blk_alloc (i32.const 64) (i32.const 3))
                               (i32.const 0)))
        (br $more)))
    unreachable)
  (start $fill)
  (func (export "_start")))
