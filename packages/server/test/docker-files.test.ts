/**
 * The Docker setup, checked as far as a machine without a Docker engine can:
 * the compose file through Debian's `docker-compose config`, the Dockerfile
 * for its essentials. Neither replaces a real `docker build` on a GPU box.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

const TOKEN = 'compose-token-0123456789';

function composeConfig(env: NodeJS.ProcessEnv = {}, file = 'docker-compose.yml'): string {
  return execFileSync('docker-compose', ['-f', join(ROOT, file), 'config'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CNNVIS_PORT: '', CNNVIS_PROVIDER: '', CNNVIS_TOKEN: TOKEN, ...env },
  });
}

describe('docker-compose.yml', () => {
  let config: string;
  beforeAll(() => {
    config = composeConfig(); // throws (fails the suite) when the file is invalid or docker-compose is missing
  });

  test('reserves the GPU the compose way', () => {
    const cnnvis = config.slice(config.indexOf('  cnnvis:'), config.indexOf('  cnnvis-cpu:'));
    expect(cnnvis).toMatch(/reservations:\s+devices:\s+- capabilities:\s+- gpu\s+count: 1\s+driver: nvidia/);
    expect(cnnvis).toContain('CNNVIS_PROVIDER: auto');
  });

  test('publishes 8097 and keeps data in a named volume', () => {
    expect(config).toMatch(/published: 8097\s+target: 8097/);
    expect(config).toContain('cnnvis-data:/data');
    expect(config).toMatch(/volumes:\s+cnnvis-data: \{\}/);
  });

  test('has a CPU-only service behind a profile', () => {
    const cpu = config.slice(config.indexOf('  cnnvis-cpu:'));
    expect(cpu).toContain('CNNVIS_PROVIDER: cpu');
    expect(cpu).toMatch(/profiles:\s+- cpu/);
    expect(cpu).not.toContain('driver: nvidia');
  });

  test('takes the provider from the environment', () => {
    expect(composeConfig({ CNNVIS_PROVIDER: 'cuda' })).toContain('CNNVIS_PROVIDER: cuda');
  });

  test('requires a token, since the container listens on every interface', () => {
    expect(config).toContain(`CNNVIS_TOKEN: ${TOKEN}`);
    expect(() => composeConfig({ CNNVIS_TOKEN: '' })).toThrow(/set CNNVIS_TOKEN to a secret/);
  });
});

describe('docker-compose.cluster.yml', () => {
  const cluster = (env: NodeJS.ProcessEnv = {}) => composeConfig({ CNNVIS_DB_PASSWORD: 'db0123456789', ...env }, 'docker-compose.cluster.yml');
  let config: string;
  /** The lines of one service, up to the next. */
  const service = (name: string) => {
    const from = config.indexOf(`\n  ${name}:\n`);
    const next = config.slice(from + 1).search(/\n {2}[a-z-]+:\n/);
    return config.slice(from, next < 0 ? undefined : from + 1 + next);
  };
  beforeAll(() => {
    config = cluster();
  });

  test('runs PostgreSQL, Redis, two servers and one GPU worker', () => {
    const names = [...config.matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]);
    expect(names).toEqual(expect.arrayContaining(['postgres', 'redis', 'cnnvis-a', 'cnnvis-b', 'cnnvis-worker']));
    expect(service('postgres')).toContain('image: postgres:');
    expect(service('redis')).toContain('image: redis:');
    expect(service('postgres')).not.toContain('published:');
    expect(service('redis')).not.toContain('published:');
  });

  test('the servers share one PostgreSQL store and Redis, run no models, and publish 8097 and 8098', () => {
    for (const [name, port] of [['cnnvis-a', 8097], ['cnnvis-b', 8098]] as const) {
      const text = service(name);
      expect(text).toContain('CNNVIS_DATABASE_URL: postgres://cnnvis:db0123456789@postgres:5432/cnnvis');
      expect(text).toContain('CNNVIS_REDIS_URL: redis://redis:6379');
      expect(text).toContain('CNNVIS_WORKERS: 0');
      expect(text).toMatch(new RegExp(`published: ${port}\\s+target: 8097`));
      expect(text).toMatch(/postgres:\s+condition: service_healthy\s+redis:\s+condition: service_healthy/);
    }
  });

  test('the worker runs cnnvis-worker on the GPU from the same image', () => {
    const worker = service('cnnvis-worker');
    expect(worker).toMatch(/command:\s+- cnnvis-worker\s+- --server\s+- http:\/\/cnnvis-a:8097\s+- --provider\s+- cuda/);
    expect(worker).toContain('image: cnnvis:latest');
    expect(worker).toMatch(/reservations:\s+devices:\s+- capabilities:\s+- gpu\s+count: 1\s+driver: nvidia/);
    expect(worker).toContain(`CNNVIS_TOKEN: ${TOKEN}`);
  });

  test('requires the token, as one box does, and a database password', () => {
    expect(() => cluster({ CNNVIS_TOKEN: '' })).toThrow(/set CNNVIS_TOKEN to a secret/);
    expect(() => cluster({ CNNVIS_DB_PASSWORD: '' })).toThrow(/set CNNVIS_DB_PASSWORD to a secret/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const lines = dockerfile.split('\n').filter((l) => !l.trim().startsWith('#'));
  const text = lines.join('\n');

  test('builds with Node 20 and runs on a CUDA 12 + cuDNN runtime base', () => {
    expect(text).toMatch(/ARG NODE_IMAGE=node:20/);
    expect(text).toMatch(/ARG CUDA_IMAGE=nvidia\/cuda:12\.[\d.]+-cudnn-runtime-/);
    expect(text).toMatch(/FROM \$\{CUDA_IMAGE\} AS runtime/);
  });

  test('installs the CUDA provider libraries at build time, overriding .npmrc', () => {
    expect(text).toContain('ENV ONNXRUNTIME_NODE_INSTALL=cuda12');
    expect(text).toContain('libonnxruntime_providers_cuda.so');
  });

  test('runs as a non-root user with a health check, a data volume and port 8097', () => {
    const users = lines.filter((l) => /^USER\s/.test(l)).map((l) => l.split(/\s+/)[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)$/);
    expect(text).toMatch(/^HEALTHCHECK .*\n\s+CMD .*\/healthz/m);
    expect(text).toMatch(/^VOLUME \["\/data"\]/m);
    expect(text).toMatch(/^EXPOSE 8097$/m);
    expect(text).toContain('CNNVIS_HOST=0.0.0.0');
  });
});
