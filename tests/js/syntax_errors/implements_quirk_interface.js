a interface
