/* x
 */ a b
