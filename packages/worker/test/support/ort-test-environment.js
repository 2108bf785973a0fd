// Jest runs each test file in its own realm, whose typed-array constructors
// differ from Node's main realm. onnxruntime-node's native binding creates its
// output arrays in the main realm, and onnxruntime-common then checks them with
// `instanceof Float32Array` inside the test realm, which fails. jest-environment-node
// already shares ArrayBuffer and Uint8Array for the same reason; this shares the rest.
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
  'Int8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class OrtTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}

module.exports = OrtTestEnvironment;
