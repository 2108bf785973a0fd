import { CnnvisClientError, isCnnvisClientError } from './client-error';

describe('CnnvisClientError.from', () => {
  it('keeps the code, message and issues of an error envelope', () => {
    const err = CnnvisClientError.from({
      error: { code: 'BAD_REQUEST', message: 'opts.titel: unknown key', issues: [{ path: 'opts.titel', message: 'unknown key' }] },
    });
    expect(err).toBeInstanceOf(CnnvisClientError);
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toBe('opts.titel: unknown key');
    expect(err.issues).toEqual([{ path: 'opts.titel', message: 'unknown key' }]);
  });

  it('reads a bare error body', () => {
    const err = CnnvisClientError.from({ code: 'NOT_FOUND', message: "no window 'loss' in env 'main'" });
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain("'loss'");
    expect(err.issues).toBeUndefined();
  });

  it('maps socket.io ack failures to TIMEOUT and UNAVAILABLE', () => {
    expect(CnnvisClientError.from(new Error('operation has timed out')).code).toBe('TIMEOUT');
    expect(CnnvisClientError.from(new Error('socket has been disconnected')).code).toBe('UNAVAILABLE');
  });

  it('turns anything else into INTERNAL, keeping the cause', () => {
    const boom = new Error('boom');
    const err = CnnvisClientError.from(boom);
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toBe('boom');
    expect(err.cause).toBe(boom);
    expect(CnnvisClientError.from('text').code).toBe('INTERNAL');
    expect(CnnvisClientError.from({ code: 'NOT_A_CODE', message: 'x' }).code).toBe('INTERNAL');
    expect(CnnvisClientError.from(undefined).message).toBe('undefined');
  });

  it('returns a CnnvisClientError unchanged', () => {
    const err = new CnnvisClientError({ code: 'CONFLICT', message: 'exists' });
    expect(CnnvisClientError.from(err)).toBe(err);
  });

  it('builds BAD_REQUEST messages that name each field', () => {
    const err = CnnvisClientError.badRequest([
      { path: 'y[1]', message: 'has 3 values but x has 4' },
      { path: 'name', message: 'names one trace but y has 2' },
    ]);
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toBe('y[1]: has 3 values but x has 4; name: names one trace but y has 2');
  });
});

describe('isCnnvisClientError', () => {
  it('accepts the class and look-alikes from another copy of the package', () => {
    expect(isCnnvisClientError(new CnnvisClientError({ code: 'TIMEOUT', message: 't' }))).toBe(true);
    const foreign = Object.assign(new Error('x'), { name: 'CnnvisClientError', code: 'NOT_FOUND' });
    expect(isCnnvisClientError(foreign)).toBe(true);
  });

  it('rejects other errors and values', () => {
    expect(isCnnvisClientError(new Error('x'))).toBe(false);
    expect(isCnnvisClientError({ name: 'CnnvisClientError', code: 'NOT_FOUND' })).toBe(false);
    expect(isCnnvisClientError(Object.assign(new Error('x'), { name: 'CnnvisClientError', code: 'NOPE' }))).toBe(false);
    expect(isCnnvisClientError(null)).toBe(false);
  });
});
