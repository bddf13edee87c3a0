const texts = ['hello world', 'a+b=c&d/e?f#g', 'ünïcödé', '日本語', '😀 smile', "-_.!~*'()", ';/?:@&=+$,#', '100%']
for (let i = 0; i < texts.length; i++) {
  const t = texts[i]
  const c = encodeURIComponent(t)
  const u = encodeURI(t)
  console.log(c, u, decodeURIComponent(c) === t, decodeURI(u) === t, escape(t), unescape(escape(t)) === t)
}
console.log(decodeURI('%3B%2F%41%e2%82%ac'), decodeURIComponent('%3B%2F%41%E2%82%AC'), unescape('%u0041%41%zz%'), escape('a b\u0100'))
