let s = "😀"; a b
