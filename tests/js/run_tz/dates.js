// Runs under every zone of TZ_FIXTURES in tests/run.rs, each compared with its ZONE.stdout.
// Local time: the zone comes from TZ (recorded with node under the same TZ).
function D(...args) {
  return Reflect.construct(Date, args)
}
const show = (d) => `${d.toString()} | ${d.toISOString()} | ${d.getTimezoneOffset()}`
const d = D(2024, 0, 15, 10, 5, 3, 7)
console.log(d.getTime(), d.getFullYear(), d.getMonth(), d.getDate(), d.getDay(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds(), d.getTimezoneOffset())
console.log(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCDay(), d.getUTCHours(), d.getUTCMinutes())
console.log(String(d))
console.log(d.toDateString(), '|', d.toTimeString(), '|', d.toUTCString(), '|', JSON.stringify(d))
console.log(d.toLocaleString(), '|', d.toLocaleDateString(), '|', d.toLocaleTimeString())
console.log(d)
console.log([D(2024, 6, 4, 23, 59, 59)], { at: D(2024, 6, 4) })
// Summer and winter, both hemispheres.
for (const m of [0, 3, 6, 9]) console.log(show(D(2024, m, 15, 12)))
// The DST changes of New York, Europe and Sydney in 2024: gaps move forward, overlaps take the
// earlier instant; every hour through each day.
for (const [y, m, dd] of [[2024, 2, 10], [2024, 10, 3], [2024, 2, 31], [2024, 9, 27], [2024, 9, 6], [2024, 3, 7]]) {
  const out = []
  for (let h = 0; h < 5; h++) for (const mi of [0, 30]) out.push(D(y, m, dd, h, mi).getTime())
  console.log(out.join(' '))
  console.log(show(D(y, m, dd, 2, 30)))
}
// Instants across a change, read back in local time.
for (let t = Date.UTC(2024, 2, 10, 5); t < Date.UTC(2024, 2, 10, 9); t += 1800e3) console.log(show(D(t)))
for (let t = Date.UTC(2024, 10, 3, 4); t < Date.UTC(2024, 10, 3, 8); t += 1800e3) console.log(show(D(t)))
for (let t = Date.UTC(2024, 2, 31, 0); t < Date.UTC(2024, 2, 31, 2); t += 1800e3) console.log(show(D(t)))
for (let t = Date.UTC(2024, 9, 5, 15); t < Date.UTC(2024, 9, 5, 17); t += 1800e3) console.log(show(D(t)))
// Local setters, across the changes too.
const s = D(2024, 2, 9, 2, 30)
console.log(s.setDate(10), show(s))
console.log(s.setHours(1, 59, 59, 999), s.setMilliseconds(1000), show(s))
console.log(s.setMonth(10, 3), show(s), s.setHours(1), show(s), s.setMinutes(30), show(s))
console.log(s.setFullYear(2023), show(s), s.setFullYear(2024, 9, 6), show(s), s.setSeconds(90), show(s))
console.log(s.setUTCHours(7), show(s), s.setUTCDate(31), show(s), s.setUTCFullYear(2020, 0, 1), show(s))
const bad = D(NaN)
console.log(bad.setHours(1), bad.setFullYear(2000), show(bad), bad.getHours(), bad.getTimezoneOffset())
// Parsing: ISO date-time without an offset is local, date-only ISO is UTC, the legacy forms
// are local unless they name an offset.
console.log(Date.parse('2024-01-15'), Date.parse('2024-07-15T10:00'), Date.parse('2024-07-15T10:00:00.5'), Date.parse('2024-07-15T10:00Z'), Date.parse('2024-07-15T10:00+05:30'))
console.log(Date.parse('2024-03-10T02:30'), Date.parse('2024-11-03T01:30'), Date.parse('2024-03-31T02:30'), Date.parse('2024-10-27T02:30'))
console.log(Date.parse('Jan 15, 2024'), Date.parse('2024/07/15'), Date.parse('7/15/2024 10:00 PM'), Date.parse('Mon Jul 15 2024 10:05:03'), Date.parse('15 Jul 2024 10:05 GMT'))
console.log(Date.parse('Jul 15 2024 10:00 EST'), Date.parse('Jul 15 2024 10:00 PDT'), Date.parse('Jul 15 2024 10:00 GMT+0200'))
console.log(Date.parse(String(d)) === d.getTime() - 7, Date.parse(d.toUTCString()) === d.getTime() - 7, Date.parse(String(D(2024, 6, 4, 5))) === D(2024, 6, 4, 5).getTime())
// Date.UTC and the time value are zone-free.
console.log(Date.UTC(2024, 6, 15), D(0).getTime(), D(Date.UTC(2024, 6, 15)).getUTCHours())
// Far from now: LMT before the first transition, the footer rule far ahead, the ends of the range.
console.log(show(D(1800, 0, 1)))
console.log(show(D(1800, 6, 1, 12)))
console.log(show(D(1950, 6, 1, 12)))
console.log(show(D(2100, 6, 1, 12)))
console.log(show(D(2100, 0, 1, 12)))
console.log(show(D(-8.64e15)), D(-8.64e15).getHours())
console.log(show(D(8.64e15)), D(8.64e15).getDate())
console.log(D(275760, 8, 13).getTime(), D(-271821, 3, 20).getTime(), D(-271821, 3, 19, 23).getTime())
console.log(String(D(NaN)), D(NaN).getHours(), D(NaN).getTimezoneOffset(), D(1e300, 0).getTime(), D(2024, 0, 1, 1e20).getTime())
console.log(typeof Date(), Date().length > 20)
