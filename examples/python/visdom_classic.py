"""A classic Visdom training-loop script, run unchanged against cnnvis-server.

Start the server (it speaks Visdom's protocol on Visdom's port):

    npx cnnvis-server            # http://127.0.0.1:8097
    pip install visdom numpy     # the stock client, 0.2.4
    python examples/python/visdom_classic.py

Nothing here is cnnvis-specific: it is the stock `visdom` client with its
defaults (server http://localhost, port 8097, base_url /). With
`cnnvis-server --base-url /visdom`, pass `base_url='/visdom'` to Visdom().

Not run in cnnvis's CI: PyPI is unreachable there, so the stock client cannot
be installed. The server tests send exactly the requests each call below
makes (packages/server/test/visdom/, written from the protocol description),
so this script is checked call by call, not end to end.
"""
import json
import math
import time

import numpy as np
import visdom

viz = visdom.Visdom(port=8097, env='visdom_classic')  # POST /env/visdom_classic, then /vis_socket
assert viz.check_connection(timeout_seconds=5), 'start cnnvis-server first'

# A property pane the user edits in the browser; edits come back as PropertyUpdate events.
properties = [
    {'type': 'number', 'name': 'Learning rate', 'value': '0.1'},
    {'type': 'checkbox', 'name': 'Pause', 'value': False},
]
props_win = viz.properties(properties, opts={'title': 'Controls'})


def on_property(event):
    if event['event_type'] != 'PropertyUpdate':
        return
    prop = properties[event['propertyId']]
    prop['value'] = event['value']
    viz.properties(properties, win=props_win, opts={'title': 'Controls'})  # re-send, as Visdom expects


viz.register_event_handler(on_property, props_win)

log_win = viz.text('<b>training started</b>', opts={'title': 'Log'})
loss_win = None
rng = np.random.default_rng(0)

for epoch in range(1, 6):
    for step in range(20):
        it = (epoch - 1) * 20 + step
        loss = math.exp(-it / 40) + 0.05 * rng.random()
        val = loss + 0.1
        if loss_win is None:
            loss_win = viz.line(
                Y=np.array([[loss, val]]),
                X=np.array([[it, it]]),
                opts={'title': 'Loss', 'xlabel': 'step', 'legend': ['train', 'val']},
            )
        else:
            # One trace by name: /win_exists, then /update with append=true.
            viz.line(Y=[loss], X=[it], win=loss_win, update='append', name='train')
            viz.line(Y=[val], X=[it], win=loss_win, update='append', name='val')

    # A batch of 16 "inputs", tiled by the client into one grid image (PNG data URI).
    batch = rng.random((16, 3, 32, 32))
    viz.images(batch, nrow=4, win='inputs', opts={'title': 'Inputs', 'caption': f'epoch {epoch}'})

    # A 10x10 confusion matrix as a heatmap.
    confusion = rng.integers(0, 20, size=(10, 10)) + np.eye(10, dtype=int) * epoch * 10
    viz.heatmap(
        X=confusion,
        win='confusion',
        opts={'title': f'Confusion (epoch {epoch})', 'colormap': 'Viridis',
              'rownames': [str(i) for i in range(10)], 'columnnames': [str(i) for i in range(10)]},
    )

    viz.text(f'epoch {epoch}: loss {loss:.3f}', win=log_win, append=True)
    time.sleep(0.2)

print('windows:', sorted(json.loads(viz.get_window_data(env='visdom_classic'))))
print('saved envs:', viz.save(['visdom_classic']))  # a no-op: cnnvis stores every change as it comes
