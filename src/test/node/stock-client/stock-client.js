'use strict';
// The stock Vert.x event-bus client (@vertx/eventbus-bridge-client.js, unmodified, over sockjs-client)
// in Node, driven by roombus.bridge.StockJsClientTest.
//
//   node stock-client.js <hub base URL> [transport,transport,...]
//
// Connects to <hub>/eventbus (sockjs-client picks the transport, unless a comma-separated list of
// sockjs-client transport names is given, e.g. "xhr-polling"). Then reads commands from stdin, one JSON
// object a line:
//   {"do":"register","address":A}            registerHandler(A, handler)
//   {"do":"send","address":A,"body":{...}}   send(A, body, replyCallback)
//   {"do":"close"}                           close the event bus and exit
// and prints one JSON object a line on stdout per event, each with the bus state (1 = OPEN):
//   {"event":"open","transport":T}
//   {"event":"message","address":A,"type":...,"body":...}   a handler was called with a message
//   {"event":"handlerError","address":A,"error":{...}}      a handler was called with an error
//   {"event":"reply","address":A,"type":...,"body":...}     a send's callback got a reply
//   {"event":"replyError","address":A,"error":{...}}        a send's callback got an error
//   {"event":"unhandled","frame":{...}}                     a frame no handler took (eb.onerror/onunhandled)
//   {"event":"close","code":N,"reason":R}
//   {"event":"fatal","error":"..."}                          a command failed
// The end of stdin closes the bus and exits, so the process never outlives its test.

const EventBus = require('@vertx/eventbus-bridge-client.js');
const readline = require('readline');

const hub = process.argv[2];
const transports = process.argv[3];
if (!hub) {
  process.stderr.write('usage: node stock-client.js <hub base URL> [transports]\n');
  process.exit(2);
}

const options = { vertxbus_ping_interval: 5000 };
if (transports) options.transports = transports.split(',');

const eb = new EventBus(hub.replace(/\/+$/, '') + '/eventbus', options);

function emit(event) {
  event.state = eb.state;
  process.stdout.write(JSON.stringify(event) + '\n');
}

eb.onopen = () => emit({ event: 'open', transport: eb.sockJSConn.transport });
eb.onclose = (e) => {
  emit({ event: 'close', code: e && e.code, reason: e && e.reason });
  process.exit(0);
};
// An err frame that no handler took comes to onerror; any other stray frame to onunhandled.
eb.onerror = (frame) => emit({ event: 'unhandled', frame });
eb.onunhandled = (frame) => emit({ event: 'unhandled', frame });

function run(command) {
  switch (command.do) {
    case 'register':
      eb.registerHandler(command.address, (error, message) => {
        if (error) emit({ event: 'handlerError', address: command.address, error });
        else emit({ event: 'message', address: message.address, type: message.type, body: message.body });
      });
      break;
    case 'send':
      eb.send(command.address, command.body, (error, message) => {
        if (error) emit({ event: 'replyError', address: command.address, error });
        else emit({ event: 'reply', address: command.address, type: message.type, body: message.body });
      });
      break;
    case 'close':
      eb.close();
      break;
    default:
      throw new Error('unknown command ' + JSON.stringify(command));
  }
}

const input = readline.createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (!line.trim()) return;
  try {
    run(JSON.parse(line));
  } catch (e) {
    emit({ event: 'fatal', error: String(e && e.stack || e) });
  }
});
input.on('close', () => {
  try {
    eb.close();
  } finally {
    process.exit(0);
  }
});
