class Brand {
  #tag
  static is(o) { return #tag in o }
}
async function load() {
  const { default: pMap } = await import('p-map')
  return import(`./${name}.js`,)
}
class Precedence {
  #p
  m(o) { return [#p in o + 1, #p in o && 1] }
}
