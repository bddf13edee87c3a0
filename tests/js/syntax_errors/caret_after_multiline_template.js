x = `
` a b
