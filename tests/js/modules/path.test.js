const path = require('path');
console.log(path.sep, path.delimiter, path.posix === path, typeof path.win32);

function show(name, args) {
  let r;
  try { r = path[name](...args); } catch (e) { r = e.name + ' ' + e.code + ': ' + e.message; }
  console.log(name, args, '=>', r);
}

const joins = [
  [], ['.', 'x/b', '..', '/b/c.js'], ['/.', 'x/b', '..', '/b/c.js'], ['/foo', '../../../bar'],
  ['foo', '../../../bar'], ['foo/', '../../../bar'], ['foo/x', '../../../bar'], ['foo/x', './bar'],
  ['foo/x/', './bar'], ['foo/x/', '.', 'bar'], ['./'], ['.', './'], ['.', '.', '.'], ['.', './', '.'],
  ['.', '/./', '.'], ['.', '/////./', '.'], ['.'], ['', '.'], ['', 'foo'], ['foo', '/bar'],
  ['', '/foo'], ['', '', '/foo'], ['', '', 'foo'], ['foo', ''], ['foo/', ''], ['foo', '', '/bar'],
  ['./', '..', '/foo'], ['./', '..', '..', '/foo'], ['.', '..', '..', '/foo'], ['', '..', '..', '/foo'],
  ['/'], ['/', '.'], ['/', '..'], ['/', '..', '..'], [''], ['', ''], [' /foo'], [' ', 'foo'],
  [' ', '.'], [' ', '/'], [' ', ''], ['/', 'foo'], ['/', '/foo'], ['/', '//foo'], ['/', '', '/foo'],
  ['', '/', 'foo'], ['', '/', '/foo'], ['a', 1], [null],
];
for (const a of joins) show('join', a);

const norms = ['./fixtures///b/../b/c.js', '/foo/../../../bar', 'a//b//../b', 'a//b//./c',
  'a//b//.', '/a/b/c/../../../x/y/z', '///..//./foo/.//bar', 'bar/foo../../', 'bar/foo../..',
  'bar/foo../../baz', 'bar/foo../', 'bar/foo..', '../foo../../../bar', '../.../.././.../../../bar',
  '../../../foo/../../../bar', '../../../foo/../../../bar/../../', '../foobar/barfoo/foo/../../../bar/../../',
  '../.../../foobar/../../../bar/../../baz', 'foo/bar\\baz', '', '.', './', '/', '//', '..', '../', 'a/..'];
for (const p of norms) show('normalize', [p]);

const resolves = [['/var/lib', '../', 'file/'], ['/var/lib', '/../', 'file/'], ['/some/dir', '.', '/absolute/'],
  ['/foo/tmp.3/', '../tmp.3/cycles/root.js'], ['/a/b', 'c', '../d'], ['/'], ['/a', ''], ['/x/', '//y/', 'z/']];
for (const a of resolves) show('resolve', a);
console.log(path.resolve() === process.cwd(), path.resolve('a/b') === process.cwd() + '/a/b',
  path.resolve('..', 'q') === path.join(process.cwd(), '..', 'q'));
show('resolve', ['/a', 3]);

const rels = [['/var/lib', '/var'], ['/var/lib', '/bin'], ['/var/lib', '/var/lib'], ['/var/lib', '/var/apache'],
  ['/var/', '/var/lib'], ['/', '/var/lib'], ['/foo/test', '/foo/test/bar/package.json'],
  ['/Users/a/web/b/test/mails', '/Users/a/web/b'], ['/foo/bar/baz-quux', '/foo/bar/baz'],
  ['/foo/bar/baz', '/foo/bar/baz-quux'], ['/baz-quux', '/baz'], ['/baz', '/baz-quux'], ['/page1/page2/foo', '/'],
  ['/a/b', '/a/b/'], ['', '']];
for (const a of rels) show('relative', a);

const dirs = ['/a/b/', '/a/b', '/a', '', '/', '////', '//a', 'foo', 'a/', 'a/b//', '/a/b//c///', '.', '..', './x', '/x/.'];
for (const p of dirs) show('dirname', [p]);
show('dirname', [1]);

const bases = [['/dir/basename.ext'], ['/basename.ext'], ['basename.ext'], ['basename.ext/'], ['basename.ext//'],
  ['aaa/bbb', '/bbb'], ['aaa/bbb', 'a/bbb'], ['aaa/bbb', 'bbb'], ['aaa/bbb//', 'bbb'], ['aaa/bbb', 'bb'],
  ['aaa/bbb', 'b'], ['/aaa/bbb', '/bbb'], ['/aaa/bbb', 'a/bbb'], ['/aaa/bbb', 'bbb'], ['/aaa/bbb//', 'bbb'],
  ['/aaa/bbb', 'bb'], ['/aaa/bbb', 'b'], ['/aaa/bbb'], ['/aaa/'], ['/aaa/b'], ['/a/b'], ['//a'], ['a', 'a'],
  ['file.js', '.js'], ['file.js.old', '.js.old'], ['/a/b/c.txt', '.txt'], ['/a/b/c.txt', 'txt'], ['/a/b/c.txt', 'c.txt'],
  [''], ['/'], ['a/b/', ''], ['x', 1]];
for (const a of bases) show('basename', a);

const exts = ['', '/path/to/file', '/path/to/file.ext', '/path.to/file.ext', '/path.to/file', '/path.to/.file',
  '/path.to/.file.ext', '/path/to/f.ext', '/path/to/..ext', '/path/to/..', 'file', 'file.ext', '.file',
  '.file.ext', '/file', '/file.ext', '/.file', '/.file.ext', '.path/file.ext', 'file.ext.ext', 'file.',
  '.', './', '.file.ext', '.file', '.file.', '.file..', '..', '../', '..file.ext', '..file', '..file.',
  '..file..', '...', '...ext', '....', 'file.ext/', 'file.ext//', 'file/', 'file//', 'file./', 'file.//'];
for (const p of exts) show('extname', [p]);

const parses = ['/home/user/dir/file.txt', '/home/user/a dir/another File.zip', '/home/user/a dir//another&File.',
  '/home/user/a$$$dir//another File.zip', 'user/dir/another File.zip', 'file', '.\\file', './file',
  '', '/', '//', '///', '/foo', '/foo/', 'foo/', '.', '..', '/.', '/..', '.x', 'x.', 'a/.b.c', '/a/b/'];
for (const p of parses) show('parse', [p]);

const fmts = [{ root: '/', dir: '/home/user/dir', base: 'file.txt' }, { root: '/', base: 'file.txt', ext: 'ignored' },
  { root: '/', name: 'file', ext: '.txt' }, { name: 'x', ext: 'png' }, { dir: 'a', name: 'b' }, {}, { root: '/' },
  { dir: '/', base: 'x' }, { root: '/r/', dir: '/r/', base: 'x' }];
for (const o of fmts) show('format', [o]);
show('format', [null]);
show('format', ['str']);
for (const p of parses) {
  const q = path.format(path.parse(p));
  console.log('roundtrip', p, q);
}
const abs = ['/home/foo', '/home/foo/..', 'bar/', './baz', '', '/'];
for (const p of abs) show('isAbsolute', [p]);
show('toNamespacedPath', ['/a/b']);
