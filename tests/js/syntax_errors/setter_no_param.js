x = { set a() {} }
