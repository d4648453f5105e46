"""Drawing activations with matplotlib (imported only when used; ``import actviz`` stays light).

- :mod:`actviz.plotting.draw`: Axes level (``draw_activation``, ``decorate_axes``, ``robust_ylim``).
- :mod:`actviz.plotting.figures`: ``plot`` (an Axes, seaborn-like), ``figure`` (a Figure,
  object API, no pyplot), ``save``, ``plot_data`` / ``save_data``.
- :mod:`actviz.plotting.classic`: the original blog post's three figures.
- :mod:`actviz.plotting.style`: themes, matplotlib styles and the Japanese font in rc_context.
"""
