x = { async get a() {} }
