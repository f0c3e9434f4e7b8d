;; SPDX-License-Identifier: MIT
;; Hostile: a start function that sleeps for 2^62 ns holding a block.
;; Started in the background, it is a SIP like any other: `kill ID` ends
;; the sleep, killed (0), the block reclaimed.
(module
  (import "isola" "blk_alloc" (func $blk_alloc (param i32 i32) (result i32)))
  (import "isola" "sleep_ns" (func $sleep (param i64)))
  (func $nap
    (drop (call $blk_alloc (i32.const 4096) (i32.const 3)))
    (call $sleep (i64.const 0x4000000000000000)))
  (start $nap)
  (func (export "_start")))
