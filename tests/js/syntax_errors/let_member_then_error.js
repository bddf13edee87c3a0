let.x = let[0]; a b
