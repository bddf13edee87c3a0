let x y
