a \ b
