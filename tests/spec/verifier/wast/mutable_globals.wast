;; SPDX-License-Identifier: MIT
;; Import and export of mutable globals (mutable-globals), with mutated
;; twins that must be rejected. Run with the feature off, every module
;; here that imports a mutable global must be rejected too.
(module (import "spectest" "g" (global (mut i32))))
(module (import "m" "g64" (global (mut i64))) (export "g" (global 0)))
(module
  (import "m" "gf" (global $g (mut f32)))
  (func (param f32) (global.set $g (local.get 0)))
  (func (result f32) (global.get $g))
)
(module
  (import "m" "gd" (global $g (mut f64)))
  (global $h (mut f64) (f64.const 1))
  (export "h" (global $h))
  (export "g" (global $g))
)
(assert_invalid
  (module (import "m" "g" (global $g (mut i32))) (func (global.set $g (i64.const 0))))
  "type mismatch")
(assert_invalid
  (module (import "m" "g" (global $g i32)) (func (global.set $g (i32.const 0))))
  "global is immutable")
(assert_invalid
  (module (import "m" "g" (global $g (mut i32))) (global i32 (global.get $g)))
  "constant expression required")
(assert_invalid
  (module (import "m" "g" (global (mut i32))) (export "g" (global 1)))
  "unknown global")
(assert_invalid
  (module (import "m" "g" (global (mut i32))) (export "a" (global 0)) (export "a" (global 0)))
  "duplicate export name")
