;; SPDX-License-Identifier: MIT
;; Hostile: unbounded recursion that uses no linear memory, so only the
;; engine's call-stack limit can stop it: trapped (3008, call stack exhausted).
(module
  (func $down (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add
    call $down
    i32.const 1
    i32.add)
  (func (export "main") (result i32)
    i32.const 0
    call $down))
