for (let a of [1]) { var a; }
