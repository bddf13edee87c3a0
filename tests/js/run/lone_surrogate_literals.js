const h = (s) => [...s].map(c => c.charCodeAt(0).toString(16)).join(',');
console.log(h(`${1}\uD800`), h(String.raw`\uD800`), h(({"\uD800": 1}) && Object.keys({"\uD800": 1})[0]));
class A { "\uDC00"() {} } console.log(h(Object.getOwnPropertyNames(A.prototype)[1]));
console.log(h(`a\uD83D${'x'}\uDE00`), h("\uD83D" + "\uDE00"));
const { "\uD800": v = 3 } = {}; console.log(v)
function t(s) { return h(s[0]) + '|' + h(s.raw[0]) } console.log(t`\uD800`)
