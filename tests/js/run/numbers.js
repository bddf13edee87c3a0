const xs = [0, -0, 1, -1, 255, 0.5, 0.1, -0.1, 1 / 3, 123.456, 1e21, 1.5e-7, 2 ** 53, 2 ** 60 + 12345, Math.PI, -Math.E, 1e-300, 5e-324, 1.7976931348623157e308, 0.000001, 1e100, 99.99, 2.5, 1.005, 1.45, 8.345, 1000000000000000128]
for (let i = 0; i < xs.length; i++) {
  const x = xs[i]
  console.log(x.toString(), x.toString(2), x.toString(16), x.toString(36), x.toString(7))
  console.log(x.toFixed(), x.toFixed(2), x.toFixed(5), x.toExponential(), x.toExponential(3), x.toPrecision(1), x.toPrecision(4), x.toPrecision(21))
}
console.log(NaN.toFixed(2), Infinity.toString(16), (-Infinity).toExponential(2), NaN.toPrecision(3), (12345.6789).toLocaleString(), (-0.5).toLocaleString(), (1234567).toLocaleString(), (0.0001).toLocaleString())
console.log(Number.isInteger(5), Number.isInteger(5.5), Number.isInteger('5'), Number.isSafeInteger(2 ** 53), Number.isSafeInteger(2 ** 53 - 1), Number.isFinite('1'), Number.isFinite(1), Number.isNaN(NaN), Number.isNaN('NaN'))
console.log(Number.parseFloat === parseFloat, Number.parseInt === parseInt, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.EPSILON, Number.MAX_VALUE, Number.MIN_VALUE, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN)
console.log((25).toString(undefined), (3.75).toString(2), (-255).toString(16), (0.000001).toString(2), Number.prototype.valueOf.call(4), (1e21).toFixed(2), (1.23e-10).toFixed(3), (0).toExponential(), (0).toPrecision(3))
