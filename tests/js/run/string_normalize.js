const s = 'Ame\u0301lie \u00c5ngstr\u00f6m \ufb01 \u2460 \u1e9b\u0323'
for (const f of ['NFC', 'NFD', 'NFKC', 'NFKD']) {
  const n = s.normalize(f)
  console.log(f, n.length, JSON.stringify(n), [...n].map(c => c.codePointAt(0).toString(16)).join(' '))
}
console.log('e\u0301'.normalize() === '\u00e9', '\u00e9'.normalize('NFD').length, 'abc'.normalize('NFKD'))
console.log(JSON.stringify(('a' + String.fromCharCode(0xd800) + 'e\u0301').normalize()).length)
try { 'x'.normalize('nfc') } catch (e) { console.log(e.name, e.message) }
