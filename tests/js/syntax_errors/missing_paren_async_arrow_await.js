async (a = await 1) => 1
