exports.add = (a, b) => a + b;
exports.name = 'lib';
