;; SPDX-License-Identifier: MIT
;; Hostile: a start function that never returns. The spawner (the kernel
;; console) gets its prompt back at once, since the start function runs on
;; the SIP's own thread; `kill ID` stops it: killed (0).
(module
  (func $forever (loop $l (br $l)))
  (start $forever)
  (func (export "_start")))
