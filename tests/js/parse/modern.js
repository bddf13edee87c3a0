class Brand {
  #tag
  static is(o) { return #tag in o }
}
async function load() {
  const { default: pMap } = await import('p-map')
  return import(`./${name}.js`,)
}
