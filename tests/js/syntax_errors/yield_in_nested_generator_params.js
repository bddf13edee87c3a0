function* g() { function* h(a = yield) {} }
