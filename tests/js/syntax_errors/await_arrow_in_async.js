x = async function() { await => 1 }
