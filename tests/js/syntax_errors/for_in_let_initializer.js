for (let i = 0 in {}) ;
