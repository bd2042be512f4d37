# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One session per thread for a family of classes, as the SDK has it (private).

A class and its subclasses share one slot (the SDK's ``__metakey__``): ``DynectSession.get_session()``
also finds a ``DynectMultiSession``, which is how the SDK's helpers find the session in use. Only
the SDK facade (``session.py``) uses it: the collection's own code builds ``_engine.SessionEngine``
objects, which no thread slot holds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class _ThreadInstances(threading.local):
    def __init__(self) -> None:
        self.by_slot: dict[type, Any] = {}


_THIS_THREAD = _ThreadInstances()


def registered(cls: PerThreadSingleton) -> Any | None:
    """This thread's instance in the slot of ``cls``, or None."""
    return _THIS_THREAD.by_slot.get(cls._singleton_slot)


def unregister(cls: PerThreadSingleton, instance: Any | None = None) -> Any | None:
    """Empty the slot of ``cls`` (only if it holds ``instance``, when given) and return what it held."""
    current = registered(cls)
    if current is None or (instance is not None and current is not instance):
        return None
    return _THIS_THREAD.by_slot.pop(cls._singleton_slot)


class PerThreadSingleton(type):
    """Metaclass: calling the class returns this thread's instance when its slot holds one.

    The first class made with this metaclass owns the slot; its subclasses inherit it. The class
    decides whether the instance found fits the call, in ``_reuse(existing, *args, **kwargs)``,
    which returns it or raises. A new instance is registered only once its ``__init__`` succeeded,
    so a failed login leaves nothing behind.
    """

    # What every class made with this metaclass has (the slot is set below; _reuse is the class's own).
    _singleton_slot: type
    _reuse: Callable[..., Any]

    def __init__(cls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> None:
        super().__init__(name, bases, namespace)
        if not hasattr(cls, "_singleton_slot"):
            cls._singleton_slot = cls

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        existing = registered(cls)
        if existing is not None:
            return cls._reuse(existing, *args, **kwargs)
        instance = super().__call__(*args, **kwargs)
        _THIS_THREAD.by_slot[cls._singleton_slot] = instance
        return instance
