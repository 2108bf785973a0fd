import { cleanOrtMessage, runError, sessionError } from './ort-errors';

describe('cleanOrtMessage', () => {
  it.each([
    [
      '/onnxruntime_src/onnxruntime/core/graph/model.cc:202 onnxruntime::Model::Model(onnx::ModelProto&&, const onnxruntime::PathString&, const onnxruntime::IOnnxRuntimeOpSchemaRegistryList*) Unsupported model IR version: 14, max supported IR version: 13',
      'Unsupported model IR version: 14, max supported IR version: 13',
    ],
    ['[ONNXRuntimeError] : 1 : FAIL : Load model failed', 'Load model failed'],
    ['Got invalid dimensions for input: image for the following indices\n index: 2 Got: 3 Expected: 4', 'Got invalid dimensions for input: image for the following indices index: 2 Got: 3 Expected: 4'],
    ['/src/x.cc:12 plain message without a signature', 'plain message without a signature'],
    [
      "Non-zero status code returned while running Expand node. Name:'e' Status Message: /onnxruntime_src/onnxruntime/core/framework/bfc_arena.cc:360 void* onnxruntime::BFCArena::AllocateRawInternal(size_t, bool, onnxruntime::Stream*) Failed to allocate memory for requested buffer of size 160000000000",
      "Non-zero status code returned while running Expand node. Name:'e' Status Message: Failed to allocate memory for requested buffer of size 160000000000",
    ],
    [
      '/onnxruntime_src/onnxruntime/core/graph/model_load_utils.h:46 void onnxruntime::model_load_utils::ValidateOpsetForDomain(const std::unordered_map<std::__cxx11::basic_string<char>, int>&, bool, int) Opset 9999 is under development.',
      'Opset 9999 is under development.',
    ],
  ])('cleans %s', (raw, clean) => expect(cleanOrtMessage(raw)).toBe(clean));
});

describe('sessionError and runError', () => {
  it('calls an unregistered op UNSUPPORTED and names it', () => {
    const err = sessionError(new Error('This is an invalid model. In Node, ("frob", Frob, "", -1) : ... , Error No Op registered for Frob with domain_version of 17'));
    expect(err).toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/^the model uses an op ONNX Runtime does not support \(Frob\)/) });
  });

  it('calls a failed allocation OUT_OF_MEMORY, naming the node and the size', () => {
    const err = runError(new Error("Non-zero status code returned while running ConstantOfShape node. Name:'hog' Status Message: Failed to allocate memory for requested buffer of size 400000000000"));
    expect(err).toMatchObject({ code: 'OUT_OF_MEMORY', message: expect.stringMatching(/^the model needs more memory than the worker can allocate: node 'hog' \(ConstantOfShape\) asked for 400 GB/) });
  });

  it('names the opset and the newest one ORT knows for an opset from the future', () => {
    const err = sessionError(new Error('Opset 9999 is under development and support for this is limited. Current official support for domain ai.onnx is till opset 26.'));
    expect(err).toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/opset 9999 of domain ai\.onnx, newer than this ONNX Runtime knows \(opset 26 at most\)/) });
  });

  it('names no folder of the server: the paths ORT gives for a refused external file become base names', () => {
    const escaped =
      '/onnxruntime_src/onnxruntime/core/graph/graph.cc:1345 onnxruntime::Graph::Graph(const onnxruntime::Model&, onnx::GraphProto*, const onnxruntime::Node*, const onnxruntime::logging::Logger&, bool) status.IsOK() was false. [ONNXRuntimeError] : 1 : FAIL : External data path escapes model directory. External data path: "../secret.onnx" resolved path: "/tmp/cnnvis-test-Ab3/secret.onnx" allowed directory: "/tmp/cnnvis-test-Ab3/models"';
    const err = sessionError(new Error(escaped));
    expect(err).toMatchObject({ code: 'BAD_MODEL' });
    expect(err.message).toBe(
      'ONNX Runtime could not load the model: status.IsOK() was false. [ONNXRuntimeError] : 1 : FAIL : External data path escapes model directory. External data path: "../secret.onnx" resolved path: "secret.onnx" allowed directory: "models"',
    );
    const inside = "In Node, (\"if\", If, \"\", -1) : , Error Data of TensorProto ( tensor name: w) should be file inside '/tmp/cnnvis-test-Ab3/models', but '../x.onnx' points outside the directory.";
    expect(sessionError(new Error(inside)).message).not.toContain('/tmp');
    expect(cleanOrtMessage('cannot open /usr/lib/x86_64-linux-gnu/libcudnn.so.9: no such file')).toBe('cannot open libcudnn.so.9: no such file');
  });

  it('calls other load failures BAD_MODEL', () => {
    expect(sessionError(new Error('Protobuf parsing failed.')).code).toBe('BAD_MODEL');
  });

  it('blames the input for shape and type complaints, the model for the rest', () => {
    expect(runError(new Error('Invalid rank for input: x Got: 2 Expected: 4')).code).toBe('BAD_INPUT');
    expect(runError(new Error('Non-zero status code returned while running Reshape node. Cannot reshape')).code).toBe('BAD_MODEL');
  });
});
