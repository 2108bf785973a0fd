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
  ])('cleans %s', (raw, clean) => expect(cleanOrtMessage(raw)).toBe(clean));
});

describe('sessionError and runError', () => {
  it('calls an unregistered op UNSUPPORTED and names it', () => {
    const err = sessionError(new Error('This is an invalid model. In Node, ("frob", Frob, "", -1) : ... , Error No Op registered for Frob with domain_version of 17'));
    expect(err).toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/^the model uses an op ONNX Runtime does not support \(Frob\)/) });
  });

  it('calls other load failures BAD_MODEL', () => {
    expect(sessionError(new Error('Protobuf parsing failed.')).code).toBe('BAD_MODEL');
  });

  it('blames the input for shape and type complaints, the model for the rest', () => {
    expect(runError(new Error('Invalid rank for input: x Got: 2 Expected: 4')).code).toBe('BAD_INPUT');
    expect(runError(new Error('Non-zero status code returned while running Reshape node. Cannot reshape')).code).toBe('BAD_MODEL');
  });
});
