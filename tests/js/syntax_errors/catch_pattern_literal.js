try {} catch ([0]) {}
