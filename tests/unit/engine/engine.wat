;; SPDX-License-Identifier: MIT
;; The module the engine's unit tests run: endless loops for kill and
;; fuel, recursion for exhaustion, a division for trap locations, a host
;; import, memory access and growth.
(module
  (import "host" "add" (func $hadd (param i32 i32) (result i32)))
  (import "host" "reenter" (func $reenter (param i32) (result i32)))
  (memory (export "mem") 2 4)
  (global $g (export "g") (mut i32) (i32.const 0))
  (func $nop)
  (func (export "spin") (loop $l (br $l)))
  (func (export "spin_calls") (loop $l (call $nop) (br $l)))
  (func $rec (export "rec") (param i32) (result i32)
    (i32.add (call $rec (local.get 0)) (i32.const 1)))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "count") (param i32) (result i32)
    (loop $l
      (global.set $g (i32.add (global.get $g) (i32.const 1)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (local.get 0)))
    (global.get $g))
  (func (export "call_host") (param i32 i32) (result i32)
    (call $hadd (local.get 0) (local.get 1)))
  (func (export "call_reenter") (param i32) (result i32)
    (call $reenter (local.get 0)))
  (func (export "double") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 2)))
  (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load_add") (param i32) (result i32)
    (i32.load (i32.add (local.get 0) (i32.const 4))))
)
