;; SPDX-License-Identifier: MIT
;; Sign-extension operators: each one valid with its own type, and each one
;; with a mutated operand type that must be rejected.
(module
  (func (export "e8") (param i32) (result i32) (i32.extend8_s (local.get 0)))
  (func (export "e16") (param i32) (result i32) (i32.extend16_s (local.get 0)))
  (func (export "l8") (param i64) (result i64) (i64.extend8_s (local.get 0)))
  (func (export "l16") (param i64) (result i64) (i64.extend16_s (local.get 0)))
  (func (export "l32") (param i64) (result i64) (i64.extend32_s (local.get 0)))
)
(module (func (result i32) (i32.extend8_s (i32.const 0x80))))
(module (func (result i64) (i64.extend32_s (i64.const 0x80000000))))
(assert_invalid (module (func (result i32) (i32.extend8_s (i64.const 0)))) "type mismatch")
(assert_invalid (module (func (result i32) (i32.extend16_s (f32.const 0)))) "type mismatch")
(assert_invalid (module (func (result i64) (i64.extend8_s (i32.const 0)))) "type mismatch")
(assert_invalid (module (func (result i64) (i64.extend16_s (f64.const 0)))) "type mismatch")
(assert_invalid (module (func (result i64) (i64.extend32_s (i32.const 0)))) "type mismatch")
(assert_invalid (module (func (result i32) (i64.extend32_s (i64.const 0)))) "type mismatch")
(assert_invalid (module (func (result i64) (i32.extend8_s (i32.const 0)))) "type mismatch")
(assert_invalid (module (func (i32.extend8_s))) "type mismatch")
(assert_invalid (module (func (result i32) (i32.extend16_s))) "type mismatch")
