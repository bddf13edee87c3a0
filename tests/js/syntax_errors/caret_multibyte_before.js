let s = "é"; a b
