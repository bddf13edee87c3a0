a
#!x
