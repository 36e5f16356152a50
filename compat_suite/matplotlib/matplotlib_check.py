"""Differential check of matplotlib's Agg backend (matplotlib.backends._backend_agg,
ft2font, _path, kiwisolver, over numpy): the same lines on CPython 3.11 and
through ferry (compat_suite/run.py compare). The PNG files must be the same
bytes."""
import hashlib
import io
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lines import show  # noqa: E402 (compat_suite/lines.py)

warnings.simplefilter('ignore')
import matplotlib  # noqa: E402

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format='png', metadata={'Software': None})
    plt.close(fig)
    return hashlib.sha1(buf.getvalue()).hexdigest()


fig, ax = plt.subplots(figsize=(3, 2), dpi=50)
x = np.linspace(0, 6.28, 50)
ax.plot(x, np.sin(x), label='sin')
ax.set_title('sin')
ax.legend()
show('line plot', png(fig))

fig, (a, b) = plt.subplots(1, 2, figsize=(4, 2), dpi=40, constrained_layout=True)
a.bar(['a', 'b', 'c'], [3, 1, 2])
b.imshow(np.arange(12).reshape(3, 4))
b.text(0.5, 0.5, 'text', transform=b.transAxes)
show('bars, image, text', png(fig))

fig = plt.figure(figsize=(2, 2), dpi=30)
fig.canvas.draw()
rgba = np.asarray(fig.canvas.buffer_rgba())
show('buffer_rgba', (rgba.shape, rgba.dtype.str, int(rgba.sum())))
plt.close(fig)

path = matplotlib.path.Path([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)])
show('contains_points', path.contains_points([(0.5, 0.5), (2, 2)]).tolist())
