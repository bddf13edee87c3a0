if (a) b(); else if (c) d(); else { e() }
if (a) if (b) c(); else d()
for (let i = 0; i < 10; i++) { if (i) continue; else break }
for (;;) break
for (var k in o) ;
for (const x of xs) {}
while (x) x--
do x++; while (x < 10)
outer: for (const a of b) { inner: for (;;) { continue outer; break inner } }
switch (x) { case 1: case 2: y(); break; default: z() }
try { a() } catch (e) { b(e) } finally { c() }
try { a() } catch { b() }
throw new Error('x')
debugger
with (o) { p }
label: { break label }
