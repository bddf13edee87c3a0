// With only an 'uncaughtException' listener, unhandled rejections reach it with the origin
// 'unhandledRejection'; non-error reasons arrive wrapped in node's UnhandledPromiseRejection.
process.on('uncaughtException', (err, origin) => {
  console.log(origin, err instanceof Error, err.message, err.code);
});
Promise.reject(new Error('an error'));
Promise.reject(42);
Promise.reject({ stack: 'error-like' });
Promise.reject([1, 2]);
Promise.reject(Symbol('s'));
Promise.reject(Object.create(null));
Promise.reject(function named() {});
setTimeout(() => console.log('still running'), 1);
