;; SPDX-License-Identifier: MIT
;; Hostile: a function body with a type error (returns an f32 where its type
;; says i32), assembled without validation. The verifier rejects the image
;; at load: "bad_type rejected (error 1100 ERR_VF_TYPE_MISMATCH): ...".
(module
  (func (export "main") (result i32)
    f32.const 1))
