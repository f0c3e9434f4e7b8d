;; SPDX-License-Identifier: MIT
;; Import and export of mutable globals: one cell shared by the exporting
;; and every importing instance, writes seen by all, and the mutability
;; and type checked exactly at link time.
(module $A
  (global $g (export "g") (mut i32) (i32.const 10))
  (global $h (export "h") (mut i64) (i64.const -1))
  (global $f (export "f") (mut f64) (f64.const 1.5))
  (global (export "c") i32 (i32.const 7))
  (func (export "get") (result i32) (global.get $g))
  (func (export "set") (param i32) (global.set $g (local.get 0)))
  (func (export "geth") (result i64) (global.get $h))
)
(register "A" $A)
(module $B
  (global $g (import "A" "g") (mut i32))
  (global $h (import "A" "h") (mut i64))
  (global $f (import "A" "f") (mut f64))
  (func (export "get") (result i32) (global.get $g))
  (func (export "set") (param i32) (global.set $g (local.get 0)))
  (func (export "seth") (param i64) (global.set $h (local.get 0)))
  (func (export "getf") (result f64) (global.get $f))
  (func (export "incf") (global.set $f (f64.add (global.get $f) (f64.const 1))))
)
(assert_return (invoke $B "get") (i32.const 10))
(invoke $B "set" (i32.const 42))
(assert_return (invoke $A "get") (i32.const 42))
(assert_return (get $A "g") (i32.const 42))
(invoke $A "set" (i32.const -5))
(assert_return (invoke $B "get") (i32.const -5))
(invoke $B "seth" (i64.const 0x123456789))
(assert_return (invoke $A "geth") (i64.const 0x123456789))
(assert_return (get $A "h") (i64.const 0x123456789))
(invoke $B "incf")
(assert_return (invoke $B "getf") (f64.const 2.5))
(assert_return (get $A "f") (f64.const 2.5))
;; A second importer sees the same cell.
(module $C
  (global $g (import "A" "g") (mut i32))
  (func (export "get") (result i32) (global.get $g))
)
(assert_return (invoke $C "get") (i32.const -5))
;; Mutability and type must match exactly.
(assert_unlinkable
  (module (global (import "A" "g") i32))
  "incompatible import type")
(assert_unlinkable
  (module (global (import "A" "c") (mut i32)))
  "incompatible import type")
(assert_unlinkable
  (module (global (import "A" "g") (mut i64)))
  "incompatible import type")
(assert_unlinkable
  (module (global (import "A" "f") (mut f32)))
  "incompatible import type")
;; An immutable import of an immutable export still works.
(module (global (import "A" "c") i32) (func (export "c") (result i32) (global.get 0)))
(assert_return (invoke "c") (i32.const 7))
