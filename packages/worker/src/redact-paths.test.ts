import { ModelError, WorkerError } from './worker-error';
import { redactPaths } from './redact-paths';

const roots = new Set(['tmp', 'srv', 'home', 'usr']);

describe('redactPaths', () => {
  it.each([
    // ONNX Runtime 1.2x refusing external data, word for word but for the folders.
    [
      'External data path escapes model directory. External data path: "../x.onnx" resolved path: "/tmp/x.onnx" allowed directory: "/srv/cnnvis-data/models"',
      'External data path escapes model directory. External data path: "../x.onnx" resolved path: "x.onnx" allowed directory: "models"',
    ],
    [
      "Error Data of TensorProto ( tensor name: w) should be file inside '/srv/cnnvis-data/models', but '../x.onnx' points outside the directory.",
      "Error Data of TensorProto ( tensor name: w) should be file inside 'models', but '../x.onnx' points outside the directory.",
    ],
    ["ENOENT: no such file or directory, open '/home/ann/data/models/ab12.onnx'", "ENOENT: no such file or directory, open 'ab12.onnx'"],
    ['cannot load /usr/lib/libonnxruntime_providers_cuda.so: not found', 'cannot load libonnxruntime_providers_cuda.so: not found'],
    ['the file is in /tmp/cnnvis-test-x/models.', 'the file is in models.'],
    ['url file:///srv/data/a.onnx and path=/srv/data/b.onnx', 'url a.onnx and path=b.onnx'],
    ['on windows C:\\Users\\ann\\models\\a.onnx too', 'on windows a.onnx too'],
  ])('cuts %s', (raw, clean) => expect(redactPaths(raw, roots)).toBe(clean));

  it('leaves ONNX names that look like paths, relative paths and plain slashes alone', () => {
    const text = "running Conv node. Name:'/conv1/Conv' output '/layer1/0/relu/Relu_output_0' location '../../etc/passwd' and/or 1/2";
    expect(redactPaths(text, roots)).toBe(text);
  });

  it("is what worker errors carry, except INTERNAL ones, which only the server's log sees", () => {
    expect(new ModelError('BAD_MODEL', "should be file inside '/tmp/d/models'", { cause: 1 }).message).toBe("should be file inside 'models'");
    expect(new WorkerError('INTERNAL', 'could not write /tmp/d/run.maps').message).toBe('could not write /tmp/d/run.maps');
  });
});
