{ let a; var a; }
