"""The real cnnvis server for the package's tests: the built `cnnvis-server` command on a free port,
with a token and a throwaway data dir (`npm test` builds it before running these)."""
import os
import re
import subprocess
import tempfile
import threading

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
BIN = os.path.join(ROOT, 'packages', 'server', 'bin', 'cnnvis-server.js')
TOKEN = 'python-tests-token-0123456789'


class Server:
    def __init__(self, url, token, proc):
        self.url = url
        self.token = token
        self.proc = proc


def spawn_server(*args, token=TOKEN):
    data_dir = tempfile.mkdtemp(prefix='cnnvis-py-')
    cmd = ['node', BIN, '--port', '0', '--data-dir', data_dir, *args]
    if token is not None:
        cmd += ['--token', token]
    env = {**os.environ, 'CNNVIS_NO_AUTO_BUILD': '1'}
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        m = re.search(r'listening on (http://\S+)', line)
        if m:
            # Keep reading its log so the pipe never fills and stalls the server.
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
            return Server(m.group(1), token, proc)
    raise RuntimeError('cnnvis-server did not start:\n' + ''.join(lines))


@pytest.fixture(scope='session')
def server():
    s = spawn_server()
    yield s
    s.proc.terminate()
    s.proc.wait(timeout=30)


@pytest.fixture()
def viz(server, request):
    from cnnvis import CnnVis

    # One env per test, so windows of one never meet another's.
    return CnnVis(server.url, env=re.sub(r'[^A-Za-z0-9_-]', '_', request.node.name)[:100], token=server.token)
