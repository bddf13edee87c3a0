let log = []
const outer = 'outer'
class A {
  static x = 1
  static y = this.x + 1
  static { log.push('block ' + this.y + ' ' + outer); this.z = this.name }
  static w = (() => this.z)()
  static {
    var v = 5; let l = 6
    log.push(v + l)
    try { throw new Error('in block') } catch (e) { log.push(e.message) }
  }
}
console.log(log, A.x, A.y, A.z, A.w)
class B extends A { static { log.push(super.x === undefined ? 'no super' : 'super ' + super.x) } }
console.log(log)
let order = []
class C { static a = order.push('a'); static { order.push('block') } static b = order.push('b') }
console.log(order)
