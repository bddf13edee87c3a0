x
(