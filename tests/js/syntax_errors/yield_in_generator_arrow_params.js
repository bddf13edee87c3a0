function* g() { (a = yield) => 1 }
