a 𝒳
