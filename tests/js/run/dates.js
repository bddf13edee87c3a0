// Reflect.construct stands in for `new`; the tests run with the local time zone = UTC.
function D(a, b, c, d, e, f, g) {
  const args = [a, b, c, d, e, f, g]
  while (args.length > 1 && args[args.length - 1] === undefined) args.pop()
  return Reflect.construct(Date, args)
}
const d = D(2024, 0, 15, 10, 5, 3, 7)
console.log(d.getTime(), d.valueOf(), d.getFullYear(), d.getMonth(), d.getDate(), d.getDay(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds(), d.getTimezoneOffset())
console.log(String(d))
console.log(d.toDateString(), '|', d.toTimeString(), '|', d.toUTCString(), '|', d.toISOString(), '|', JSON.stringify(d))
console.log(d.toLocaleString(), '|', d.toLocaleDateString(), '|', d.toLocaleTimeString(), '|', D(2024, 0, 1, 0, 0).toLocaleTimeString(), '|', D(2024, 0, 1, 12, 30).toLocaleTimeString())
console.log(D(0).toISOString(), D(-1).toISOString(), D(-1e14).toISOString(), D(3e14).toISOString(), String(D(-62198755200000)), D(8.64e15 + 1).getTime(), String(D(NaN)))
console.log(Date.UTC(2024), Date.UTC(2024, 1, 30), D(2024, 1, 30).getDate(), D(0).getDay(), D(99, 0).getFullYear(), D(2024, 13, 1).getMonth(), D(2024, 0, 0).getDate())
console.log(Date.parse('2024-01-15'), Date.parse('2024-01-15T10:00'), Date.parse('2024-01-15T10:00:00Z'), Date.parse('2024-01-15T10:05:03.007+02:00'), Date.parse('Mon Jan 15 2024 10:05:03 GMT+0000 (Coordinated Universal Time)'))
console.log(Date.parse('Jan 15, 2024'), Date.parse('2024/01/15'), Date.parse('Mon, 15 Jan 2024 10:05:03 GMT'), Date.parse('garbage'), Date.parse('2024-13-01'), D('2024-03-10T12:00:00Z').getDate())
const s = D(2024, 0, 31)
console.log(s.setMonth(1), s.getMonth(), s.getDate(), s.setDate(0), s.toISOString(), s.setFullYear(2020, 5, 6), s.toISOString())
console.log(s.setHours(25), s.toISOString(), s.setMinutes(90, 30), s.toISOString(), s.setSeconds(-1), s.setMilliseconds(1500), s.toISOString(), s.setTime(0), s.toISOString())
const bad = D(NaN)
console.log(bad.setHours(1), bad.getTime(), bad.setFullYear(2000), bad.toISOString(), bad.getUTCFullYear(), bad.setUTCDate(5), bad.getUTCDate())
console.log(typeof Date.now(), Date.now() > 1.7e12, typeof Date(), D(d).getTime() === d.getTime(), D(2024, 0, 15) < D(2024, 0, 16), D(1000) - D(500), d + 1 === String(d) + '1', Object.prototype.toString.call(d))
console.log(JSON.stringify({ when: D(Date.UTC(2020, 4, 17, 3, 24)) }), JSON.stringify(D(NaN)), D(2024, 5, 15).getUTCDay(), Date.length, Date.prototype.constructor === Date)
