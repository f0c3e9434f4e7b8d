;; SPDX-License-Identifier: MIT
;; One module, compiled once and instantiated twice (test_shared.c): its
;; own memory, a mutable global, a table used by call_indirect and a host
;; import that each instance binds to a different context. The start
;; function stores the import's result at address 32: it runs only when the
;; embedder starts the instance.
(module
  (import "host" "tag" (func $tag (result i32)))
  (memory (export "mem") 1 4)
  (global $g (mut i32) (i32.const 0))
  (table 2 funcref)
  (elem (i32.const 0) $one $two)
  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  (func (export "set") (param i32 i32)
    (i32.store (local.get 0) (local.get 1))
    (global.set $g (local.get 1)))
  (func (export "get") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "global") (result i32) (global.get $g))
  (func (export "tag") (result i32) (call $tag))
  (func (export "pick") (param i32) (result i32)
    (call_indirect (result i32) (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func $init (i32.store (i32.const 32) (call $tag)))
  (start $init)
  ;; Adds the import's result to the global n times.
  (func (export "bump") (param i32) (result i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        (global.set $g (i32.add (global.get $g) (call $tag)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
    (global.get $g))
)
