process.on('exit', (code) => console.log('exit event', code, process.exitCode))
process.on('uncaughtException', (err, origin) => console.log('handled', err.message, origin))
setTimeout(() => { throw new Error('in timer') }, 5)
setTimeout(() => console.log('still running'), 20)
console.log(process instanceof require('events'), process.listenerCount('exit'))
null.x
