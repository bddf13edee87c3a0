x = 1
--> comment
<!-- hi
a b
