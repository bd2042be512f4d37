# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The action of dyn_record_set_info: the module's work in the controller's worker process when it would run there anyway."""

from __future__ import annotations

from ansible_collections.dyn.managed_dns.plugins.modules import dyn_record_set_info
from ansible_collections.dyn.managed_dns.plugins.plugin_utils._in_process import InProcessModuleAction


class ActionModule(InProcessModuleAction):
    MODULE_NAME = "dyn_record_set_info"
    SPEC = dyn_record_set_info.SPEC
    WORK = staticmethod(dyn_record_set_info.work)
