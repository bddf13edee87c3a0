new a.b?.c()
