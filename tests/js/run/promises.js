console.log('start');

setImmediate(() => console.log('immediate'));
Promise.resolve(1).then((v) => { console.log('then', v); return v + 1; }).then((v) => console.log('then2', v));
process.nextTick(() => console.log('tick'));
new Promise((res) => res(Promise.resolve('adopted'))).then((v) => console.log(v));
Promise.all([1, Promise.resolve(2), new Promise((r) => r(3))]).then((v) => console.log('all', v.join(',')));
Promise.reject(new Error('x')).catch((e) => console.log('caught', e.message)).finally(() => console.log('finally'));
Promise.allSettled([Promise.reject(1), 2]).then((r) => console.log(r[0].status, r[1].value));
Promise.race([new Promise((r) => setTimeout(() => r('slow'), 20)), 'fast']).then((v) => console.log('race', v));
queueMicrotask(() => console.log('micro'));
console.log('end', typeof Promise);
